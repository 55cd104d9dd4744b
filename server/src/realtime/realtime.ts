import type { Namespace } from 'socket.io';
import { siteRoom, type AgentClientToServer, type AgentServerToClient } from '@beckon/sdk/protocol';

export type AgentNamespace = Namespace<AgentClientToServer, AgentServerToClient, Record<string, never>, AgentSocketData>;
export interface AgentSocketData {
  agentId: string;
  sessionId: string;
}

export const agentRoom = (agentId: string) => `agent:${agentId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * What HTTP features may do to connected dashboards. Every call goes through socket.io rooms, so with
 * a Redis adapter it reaches sockets on every node.
 */
export interface Realtime {
  toSite<E extends keyof AgentServerToClient>(siteId: string, event: E, ...args: Parameters<AgentServerToClient[E]>): void;
  /** Makes an agent's open dashboards receive a site's events (after a site is created or shared). */
  joinSite(agentId: string, siteId: string): void;
  leaveSite(agentId: string, siteId: string): void;
  /** Disconnects every socket of a session (logout, revocation). */
  endSession(sessionId: string): void;
}

/** Bound to the `/agent` namespace once the HTTP server exists; until then calls do nothing. */
export function createRealtime(): Realtime & { attach(namespace: AgentNamespace): void } {
  let agents: AgentNamespace | undefined;
  return {
    attach(namespace) {
      agents = namespace;
    },
    toSite(siteId, event, ...args) {
      agents?.to(siteRoom(siteId)).emit(event, ...args);
    },
    joinSite(agentId, siteId) {
      agents?.in(agentRoom(agentId)).socketsJoin(siteRoom(siteId));
    },
    leaveSite(agentId, siteId) {
      agents?.in(agentRoom(agentId)).socketsLeave(siteRoom(siteId));
    },
    endSession(sessionId) {
      agents?.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
  };
}
