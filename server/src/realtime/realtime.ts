import type { Namespace, Socket } from 'socket.io';
import type { DbOrTx } from '../db/client.js';
import type { Logger } from '../lib/logger.js';
import {
  chatVisitorRoom,
  siteRoom,
  siteVisitorsRoom,
  siteWatchersRoom,
  type AgentClientToServer,
  type AgentServerToClient,
  type AgentStatus,
  type ChatMessage,
  type ConversationSummary,
  type LivePageview,
  type LiveVisitor,
  type VisitorClientToServer,
  type VisitorServerToClient,
  type WidgetLanguage,
} from '@beckon/sdk/protocol';

export type AgentNamespace = Namespace<
  AgentClientToServer,
  AgentServerToClient,
  Record<string, never>,
  AgentSocketData
>;
export interface AgentSocketData {
  agentId: string;
  agentName: string;
  sessionId: string;
}
/** Which of these agents chose "away" (read from PostgreSQL, so every tab and node agrees). */
export type ReadAway = (agentIds: string[], db?: DbOrTx) => Promise<Set<string>>;
export type VisitorNamespace = Namespace<
  VisitorClientToServer,
  VisitorServerToClient,
  Record<string, never>,
  VisitorSocketData
>;
export type VisitorSocket = Socket<
  VisitorClientToServer,
  VisitorServerToClient,
  Record<string, never>,
  VisitorSocketData
>;
export type AgentSocket = Socket<AgentClientToServer, AgentServerToClient, Record<string, never>, AgentSocketData>;
export interface VisitorSocketData {
  siteId: string;
  chatVisitorId: string;
  /** The widget's language at the handshake: the site's greeting and auto-reply are sent in it. */
  language: WidgetLanguage;
}

export const agentRoom = (agentId: string) => `agent:${agentId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * What HTTP features may do to connected dashboards. Every call goes through socket.io rooms, so with
 * a Redis adapter it reaches sockets on every node.
 */
export interface Realtime {
  toSite<E extends keyof AgentServerToClient>(
    siteId: string,
    event: E,
    ...args: Parameters<AgentServerToClient[E]>
  ): void;
  /**
   * Queues a committed message for the site's agents. A site's queue goes out at the end of this turn of
   * the event loop, or before any other push to the site (so order is kept), and a busy site at most
   * once per `agentFrameMs`: consecutive items of one kind share a frame (`messages:new` here).
   */
  messageToSite(siteId: string, message: ChatMessage): void;
  /**
   * Queues a conversation summary the same way, as one `conversations:updated` frame: a burst of new
   * chats (a campaign, a bench) is one write per dashboard instead of one per conversation.
   */
  conversationToSite(siteId: string, conversation: ConversationSummary): void;
  /**
   * Queues a visitor row the same way, as one `visitors:updated` frame, for the tabs that show the site's
   * Visitors page (`visitors:watch`): the keepalives of many open tabs that refresh presence together reach
   * each of them as one write.
   */
  visitorToSite(siteId: string, visitor: LiveVisitor): void;
  /**
   * Queues a stored pageview the same way, as one `pageviews:new` frame, for the tabs that show the site's
   * Visitors page. Pageviews and visitor rows are independent lists on the dashboard, so each kind joins its
   * one frame of the window wherever it sits (collect pushes both for every committed group: 1,300 groups/s
   * were two writes each per dashboard).
   */
  pageviewToSite(siteId: string, pageview: LivePageview): void;
  /** To the tabs that show a site's Visitors page (`visitors:watch`), after the site's queued frames. */
  toSiteWatchers<E extends keyof AgentServerToClient>(
    siteId: string,
    event: E,
    ...args: Parameters<AgentServerToClient[E]>
  ): void;
  /**
   * False when no tab shows the site's Visitors page, so its rows need not be read or queued. Always true
   * when rooms span nodes (a tab on another node may watch, and asking would cost a round trip per push).
   */
  watchingVisitors(siteId: string): boolean;
  /** Makes an agent's open dashboards receive a site's events (after a site is created or shared). */
  joinSite(agentId: string, siteId: string): void;
  leaveSite(agentId: string, siteId: string): void;
  /** Disconnects every socket of a session (logout, revocation). */
  endSession(sessionId: string): void;
  /** Every socket (tab) of one chat visitor. */
  toVisitor<E extends keyof VisitorServerToClient>(
    chatVisitorId: string,
    event: E,
    ...args: Parameters<VisitorServerToClient[E]>
  ): void;
  /** Every socket of a chat visitor but one (the tab that sent a message already has it in its ack). */
  toVisitorExcept<E extends keyof VisitorServerToClient>(
    chatVisitorId: string,
    socketId: string,
    event: E,
    ...args: Parameters<VisitorServerToClient[E]>
  ): void;
  toSiteVisitors<E extends keyof VisitorServerToClient>(
    siteId: string,
    event: E,
    ...args: Parameters<VisitorServerToClient[E]>
  ): void;
  /** Whether a chat visitor has the chat open in some tab (any node): else replies go by email. */
  visitorConnected(chatVisitorId: string): Promise<boolean>;
  /** Every dashboard tab of one agent, on any node. */
  toAgent<E extends keyof AgentServerToClient>(
    agentId: string,
    event: E,
    ...args: Parameters<AgentServerToClient[E]>
  ): void;
  /**
   * Agents of a site with a dashboard open (every node's sockets), and their status: online unless they
   * chose away, whichever tab they chose it in. A caller inside a transaction passes it as `db`: on
   * PGlite's single connection a read outside the open transaction would wait for it forever.
   */
  agentStatuses(siteId: string, db?: DbOrTx): Promise<Map<string, { name: string; status: AgentStatus }>>;
}

/**
 * A busy site's dashboards get its queued frames at most this often. Every frame is one socket write per
 * dashboard, and a write costs a system call: flushed every turn, a site chatting at 1,000 messages/s
 * made 20 dashboards cost the server more than the visitors' acks. 20 ms is below what a person notices.
 */
export const agentFrameMs = 20;

/**
 * Reading every node's sockets (who is online, is a visitor still here) asks the other nodes through the
 * adapter, that is Redis. While Redis is away such a read fails at once (the adapter's client queues no
 * commands), and one through a Redis that stopped answering would wait: the chat would wait with it (the
 * visitor's `chat:ready`, each welcome round). So a read gets `adapterReadTimeoutMs` — as long as the
 * adapter itself gives the other nodes (its `requestsTimeout`), so a slow but working Redis on a busy
 * machine is never taken for a missing one — and after a failure or a timeout the reads of the next
 * `adapterRetryMs` count this node's sockets alone: the chat keeps working with the agents connected
 * here, and agents on other nodes count again once Redis answers.
 */
export const adapterReadTimeoutMs = 5000;

/** Frame kinds whose items may join an earlier frame of the window: lists that do not depend on each other. */
const independentKinds = new Set<string>(['visitors:updated', 'pageviews:new']);
const adapterRetryMs = 10_000;

/** Bound to the `/agent` namespace once the HTTP server exists; until then calls do nothing. */
export function createRealtime({
  frameMs = agentFrameMs,
  adapterTimeoutMs = adapterReadTimeoutMs,
  logger,
}: {
  frameMs?: number;
  adapterTimeoutMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
} = {}): Realtime & {
  /** `spanNodes`: the namespaces' rooms reach other nodes (the Redis adapter). */
  attach(
    agents: AgentNamespace,
    visitors: VisitorNamespace,
    readAway?: ReadAway,
    options?: { spanNodes?: boolean },
  ): void;
  detach(): void;
} {
  let agents: AgentNamespace | undefined;
  let roomsSpanNodes = false;
  let visitors: VisitorNamespace | undefined;
  let readAway: ReadAway = async () => new Set();
  let adapterSkippedUntil = 0;
  let adapterFailing = false;
  /** `everywhere()` (the sockets on every node), or `here()` (this node's) while the adapter cannot answer in time. */
  const socketsIn = async <T>(everywhere: () => Promise<T>, here: () => Promise<T>): Promise<T> => {
    if (Date.now() >= adapterSkippedUntil) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const asked = everywhere();
      // A late answer after the timeout is dropped; its rejection must not go unhandled.
      asked.catch(() => {});
      try {
        const sockets = await Promise.race([
          asked,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`the other nodes did not answer within ${adapterTimeoutMs} ms`)),
              adapterTimeoutMs,
            );
          }),
        ]);
        if (adapterFailing) {
          adapterFailing = false;
          logger?.info("presence counts every node's sockets again");
        }
        return sockets;
      } catch (error) {
        adapterSkippedUntil = Date.now() + adapterRetryMs;
        if (!adapterFailing) {
          adapterFailing = true;
          logger?.warn("presence counts this node's sockets only until the other nodes answer again", {
            reason: error instanceof Error ? error.message : String(error),
          });
        }
      } finally {
        clearTimeout(timer);
      }
    }
    return here();
  };
  // Per site, the frames queued since its last flush, in order; consecutive items of one kind share a frame.
  type Frame =
    | { event: 'messages:new'; items: ChatMessage[] }
    | { event: 'conversations:updated'; items: ConversationSummary[] }
    | { event: 'visitors:updated'; items: LiveVisitor[] }
    | { event: 'pageviews:new'; items: LivePageview[] };
  const queued = new Map<string, Frame[]>();
  // When each site last flushed: one number per site.
  const flushedAt = new Map<string, number>();
  const flushSite = (siteId: string) => {
    const frames = queued.get(siteId);
    if (!frames) return;
    queued.delete(siteId);
    flushedAt.set(siteId, performance.now());
    for (const frame of frames) {
      const site = agents?.to(siteRoom(siteId));
      const watchers = agents?.to(siteWatchersRoom(siteId));
      if (frame.event === 'messages:new') site?.emit('messages:new', frame.items);
      else if (frame.event === 'conversations:updated') site?.emit('conversations:updated', frame.items);
      else if (frame.event === 'pageviews:new') watchers?.emit('pageviews:new', frame.items);
      else watchers?.emit('visitors:updated', frame.items);
    }
  };
  // Not lib/batcher.ts: this is a per-site rate window (a frame at most every frameMs since the last one,
  // flushed synchronously before any direct push to keep order), with nothing to answer per item.
  const enqueue = <F extends Frame>(siteId: string, event: F['event'], item: F['items'][number]) => {
    let frames = queued.get(siteId);
    if (!frames) {
      frames = [];
      queued.set(siteId, frames);
      const wait = frameMs - (performance.now() - (flushedAt.get(siteId) ?? -Infinity));
      // A quiet site's frame leaves at the end of this turn; a busy one's when its window has passed.
      if (wait > 0) setTimeout(() => flushSite(siteId), wait);
      else setImmediate(() => flushSite(siteId));
    }
    // Chat frames keep their order (a message after its conversation). The visitor lists' kinds join their
    // kind's frame among the independent frames at the end of the queue, however those alternate.
    let last = frames.at(-1);
    if (independentKinds.has(event)) {
      for (let i = frames.length - 1; i >= 0 && independentKinds.has(frames[i]!.event); i--) {
        if (frames[i]!.event === event) last = frames[i];
      }
    }
    if (last?.event === event) (last.items as F['items'][number][]).push(item);
    else frames.push({ event, items: [item] } as F);
  };
  const watchingVisitors = (siteId: string) =>
    roomsSpanNodes || (agents?.adapter.rooms.get(siteWatchersRoom(siteId))?.size ?? 0) > 0;
  return {
    attach(agentNamespace, visitorNamespace, awayReader, { spanNodes = false } = {}) {
      agents = agentNamespace;
      visitors = visitorNamespace;
      roomsSpanNodes = spanNodes;
      if (awayReader) readAway = awayReader;
    },
    /** On shutdown: later pushes (e.g. presence after the last disconnect) become no-ops. */
    detach() {
      agents = undefined;
      visitors = undefined;
    },
    toSite(siteId, event, ...args) {
      flushSite(siteId);
      agents?.to(siteRoom(siteId)).emit(event, ...args);
    },
    messageToSite(siteId, message) {
      enqueue(siteId, 'messages:new', message);
    },
    conversationToSite(siteId, conversation) {
      enqueue(siteId, 'conversations:updated', conversation);
    },
    visitorToSite(siteId, visitor) {
      if (watchingVisitors(siteId)) enqueue(siteId, 'visitors:updated', visitor);
    },
    pageviewToSite(siteId, pageview) {
      if (watchingVisitors(siteId)) enqueue(siteId, 'pageviews:new', pageview);
    },
    toSiteWatchers(siteId, event, ...args) {
      flushSite(siteId);
      agents?.to(siteWatchersRoom(siteId)).emit(event, ...args);
    },
    watchingVisitors,
    joinSite(agentId, siteId) {
      agents?.in(agentRoom(agentId)).socketsJoin(siteRoom(siteId));
    },
    leaveSite(agentId, siteId) {
      // Access gone: the Visitors page's stream stops with the rest.
      agents?.in(agentRoom(agentId)).socketsLeave([siteRoom(siteId), siteWatchersRoom(siteId)]);
    },
    endSession(sessionId) {
      agents?.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
    toVisitor(chatVisitorId, event, ...args) {
      visitors?.to(chatVisitorRoom(chatVisitorId)).emit(event, ...args);
    },
    toVisitorExcept(chatVisitorId, socketId, event, ...args) {
      visitors
        ?.to(chatVisitorRoom(chatVisitorId))
        .except(socketId)
        .emit(event, ...args);
    },
    toSiteVisitors(siteId, event, ...args) {
      visitors?.to(siteVisitorsRoom(siteId)).emit(event, ...args);
    },
    async visitorConnected(chatVisitorId) {
      const namespace = visitors;
      if (!namespace) return false;
      const room = chatVisitorRoom(chatVisitorId);
      const sockets = await socketsIn(
        () => namespace.in(room).fetchSockets(),
        () => namespace.local.in(room).fetchSockets(),
      );
      return sockets.length > 0;
    },
    toAgent(agentId, event, ...args) {
      agents?.to(agentRoom(agentId)).emit(event, ...args);
    },
    async agentStatuses(siteId, db) {
      const statuses = new Map<string, { name: string; status: AgentStatus }>();
      if (!agents) return statuses;
      const connected = new Map<string, string>();
      const room = siteRoom(siteId);
      const namespace = agents;
      for (const socket of await socketsIn(
        () => namespace.in(room).fetchSockets(),
        () => namespace.local.in(room).fetchSockets(),
      ))
        connected.set(socket.data.agentId, socket.data.agentName);
      if (connected.size === 0) return statuses;
      const away = await readAway([...connected.keys()], db);
      for (const [agentId, name] of connected)
        statuses.set(agentId, { name, status: away.has(agentId) ? 'away' : 'online' });
      return statuses;
    },
  };
}
