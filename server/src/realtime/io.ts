import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { siteRoom } from '@beckon/sdk/protocol';
import type { Db } from '../db/client.js';
import type { Logger } from '../lib/logger.js';
import { findSession, readCookie, sessionCookie } from '../features/auth/service.js';
import { listVisibleSites } from '../features/sites/service.js';
import { agentRoom, sessionRoom, type AgentNamespace } from './realtime.js';

export interface RealtimeOptions {
  db: Db;
  logger: Logger;
  /** Largest socket.io message accepted, in bytes. */
  maxMessageBytes?: number;
}

/** socket.io on the same HTTP server as Hono: `/agent` for the dashboard (the widget's `/visitor` joins with chat). */
export function attachSocketServer(httpServer: HttpServer, { db, logger, maxMessageBytes = 64 * 1024 }: RealtimeOptions) {
  const io = new Server(httpServer, {
    maxHttpBufferSize: maxMessageBytes,
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
  });

  // socket.io types a Server by its main namespace; each namespace gets its own event maps here.
  const agents = io.of('/agent') as unknown as AgentNamespace;
  agents.use(async (socket, next) => {
    try {
      // A cookie-authenticated socket must come from the dashboard's own origin (no cross-site hijacking).
      const origin = socket.handshake.headers.origin;
      const host = socket.handshake.headers.host;
      if (origin && host && new URL(origin).host !== host) return next(new Error('forbidden'));
      const found = await findSession(db, readCookie(socket.handshake.headers.cookie, sessionCookie));
      if (!found) return next(new Error('unauthorized'));
      socket.data = { agentId: found.agent.id, sessionId: found.session.id };
      const sites = await listVisibleSites(db, found.agent);
      await socket.join([agentRoom(found.agent.id), sessionRoom(found.session.id), ...sites.map((site) => siteRoom(site.id))]);
      next();
    } catch (error) {
      logger.error('agent socket auth failed', { error });
      next(new Error('unavailable'));
    }
  });
  agents.on('connection', (socket) => {
    logger.debug('agent connected', { agentId: socket.data.agentId });
  });
  return { io, agents };
}
