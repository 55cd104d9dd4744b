import type { Server as HttpServer } from 'node:http';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { siteRoom } from '@beckon/sdk/protocol';
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../app-env.js';
import { agentsTable } from '../db/schema.js';
import { shareCacheChanges } from '../lib/keyed-cache.js';
import { parseUrl } from '../lib/url.js';
import { findSession, readCookie, sessionCookie } from '../features/auth/index.js';
import { registerAgentChat, type ChatOpeningLimits, registerVisitorChat } from '../features/chat/index.js';
import { acceptInvitation } from '../features/invitations/index.js';
import { listVisibleSites } from '../features/sites/index.js';
import { agentRoom, sessionRoom, type AgentNamespace, type VisitorNamespace } from './realtime.js';
import { ownBroadcastSkippingAdapter } from './redis-adapter.js';

export interface RealtimeOptions
  extends Pick<AppDeps, 'db' | 'ackDb' | 'logger' | 'limiter' | 'realtime' | 'mailer' | 'metrics'> {
  /** Where this server is reached, for links in notification mails. */
  publicUrl: () => string;
  /** Largest socket.io message accepted, in bytes. */
  maxMessageBytes?: number;
  /** With several nodes: fan-out through Redis so a push on one node reaches sockets on every node. */
  redisUrl?: string;
  /**
   * Starts the adapter's channel names (BECKON_REDIS_PREFIX), so installations sharing one Redis never
   * hear each other's pushes, nor count each other's nodes when reading every node's sockets.
   */
  redisPrefix?: string;
  /** Read the visitor's address from `X-Forwarded-For` (BECKON_TRUST_PROXY). */
  trustProxy?: boolean;
  /** How many conversations visitors may open; defaults to `chatOpeningLimits()`. */
  chatOpenings?: ChatOpeningLimits;
}

/** socket.io on the same HTTP server as Hono: `/agent` for the dashboard (the widget's `/visitor` joins with chat). */
export async function attachSocketServer(httpServer: HttpServer, options: RealtimeOptions) {
  const { db, logger, maxMessageBytes = 64 * 1024, redisUrl, redisPrefix = 'beckon:' } = options;
  const io = new Server(httpServer, {
    maxHttpBufferSize: maxMessageBytes,
    serveClient: false,
    // Widgets on customers' sites may fall back to long-polling, which is a CORS request. Any origin may
    // open the transport; each namespace then checks the Origin itself (allowed origins for /visitor, the
    // dashboard's own origin plus the session cookie for /agent).
    cors: { origin: true, credentials: false },
    // No connection state recovery: clients resync from sequence numbers after any reconnect, and the
    // recovery buffer keeps every packet sent for its whole window (at 1,000 chat messages a second,
    // ~120,000 packets for two minutes: tens of MB of heap and longer GC pauses on every node).
  });
  const redisClients: { readonly isOpen: boolean; quit(): Promise<unknown>; destroy(): void }[] = [];
  if (redisUrl) {
    // While Redis is away, commands fail at once instead of queueing: pushes to other nodes are dropped
    // (this node's sockets still get theirs; clients resync by sequence number after any gap) rather than
    // piling up in memory to be delivered late, and reads of every node's sockets fall back to this node's
    // at once (realtime.ts `socketsIn`).
    const pub = createClient({ url: redisUrl, disableOfflineQueue: true });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on('error', (error: unknown) => logger.error('redis error', { error }));
    // The adapter publishes every broadcast without awaiting it: a publish refused or cut short by a
    // Redis outage would be an unhandled rejection, which ends the process. Each is caught here instead.
    const publish = pub.publish.bind(pub);
    Object.defineProperty(pub, 'publish', {
      value: (...args: Parameters<typeof publish>) =>
        publish(...args).catch((error: unknown) => {
          logger.debug('a push to the other nodes was lost (redis)', { error });
          return 0;
        }),
    });
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients.push(pub, sub);
    io.adapter(ownBroadcastSkippingAdapter(pub, sub, { key: `${redisPrefix}socket.io` }));
    logger.info('socket.io fan-out through Redis');
  }
  // With Redis, a settings change on any node drops the per-node caches of every node (lib/keyed-cache.ts).
  const unshareCaches = redisUrl ? shareCacheChanges(io) : () => {};

  // socket.io types a Server by its main namespace; each namespace gets its own event maps here.
  const agents = io.of('/agent') as unknown as AgentNamespace;
  agents.use(async (socket, next) => {
    try {
      // A cookie-authenticated socket must come from the dashboard's own origin (no cross-site hijacking).
      const origin = socket.handshake.headers.origin;
      const host = socket.handshake.headers.host;
      if (origin && host && parseUrl(origin)?.host !== host) {
        logger.warn('agent socket from a foreign origin refused', { origin, host });
        return next(new Error('forbidden'));
      }
      const found = await findSession(db, readCookie(socket.handshake.headers.cookie, sessionCookie));
      if (!found) return next(new Error('unauthorized'));
      socket.data = { agentId: found.agent.id, agentName: found.agent.name, sessionId: found.session.id };
      const sites = await listVisibleSites(db, found.agent);
      await socket.join([
        agentRoom(found.agent.id),
        sessionRoom(found.session.id),
        ...sites.map((site) => siteRoom(site.id)),
      ]);
      next();
    } catch (error) {
      logger.error('agent socket auth failed', { error });
      next(new Error('unavailable'));
    }
  });
  registerAgentChat(agents, options, async ({ agentId }) => {
    const [agent] = await db
      .select({ id: agentsTable.id, email: agentsTable.email, name: agentsTable.name, role: agentsTable.role })
      .from(agentsTable)
      .where(eq(agentsTable.id, agentId));
    return agent ?? null;
  });

  const visitors = io.of('/visitor') as unknown as VisitorNamespace;
  // Invitations build on chat, so chat's visitor socket gets their accept handed in here.
  registerVisitorChat(visitors, options, acceptInvitation);
  const close = async () => {
    unshareCaches();
    io.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    // QUIT lets publishes in flight finish; a Redis that stopped answering gets a second, then the cut.
    await Promise.allSettled(
      redisClients.map((client) =>
        Promise.race([
          client.quit(),
          new Promise<void>((resolve) => setTimeout(resolve, 1000).unref()).then(() => {
            if (client.isOpen) client.destroy();
          }),
        ]),
      ),
    );
  };
  return { io, agents, visitors, close };
}
