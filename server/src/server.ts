import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { startSlaJob } from './features/callbacks/sla.js';
import { followTemperatureForRouting, startUnansweredJob } from './features/routing/jobs.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { conversionWebhooks } from './features/audiences/hooks.js';
import { followTemperatureChanges } from './features/leads/scoring-link.js';
import { startPrivacyJobs } from './features/privacy/jobs.js';
import { onTemperatureChange } from './features/scoring/hooks.js';
import { pushHotToVisitors } from './features/triggers/hot-push.js';
import { seed, type SeedResult } from './features/seed/seed.js';
import { startDeliveryWorker } from './features/webhooks/delivery.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createMailer } from './lib/mailer.js';
import { RateLimiter } from './lib/rate-limit.js';
import { attachSocketServer } from './realtime/io.js';
import { chatOpeningLimits } from './features/chat/opening-limit.js';
import { createRealtime } from './realtime/realtime.js';
import { readAwayAgents } from './features/chat/presence.js';

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  seeded: SeedResult;
  logger: Logger;
  /** Stops accepting, lets in-flight requests finish, closes sockets and the database. */
  close(): Promise<void>;
}

export const defaultPublicDir = fileURLToPath(new URL('../public', import.meta.url));

export interface StartOptions {
  logger?: Logger;
  publicDir?: string;
  /** Reuse an open database (tests); the server will not close it. */
  database?: Database;
}

/**
 * A relative data dir is relative to where the user typed `npm start` (npm's INIT_CWD), not to the
 * server workspace npm runs the script in, so `./.beckon` lands where the README says.
 */
export const resolveDataDir = (dataDir: string) => resolve(process.env.INIT_CWD ?? process.cwd(), dataDir);

/** Opens the database (migrating it), listens, seeds, and attaches socket.io. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.BECKON_LOG_LEVEL);
  const ownsDatabase = !options.database;
  const database =
    options.database ??
    (await openDatabase(
      config.DATABASE_URL ? { kind: 'postgres', url: config.DATABASE_URL } : { kind: 'pglite', dataDir: resolveDataDir(config.BECKON_DATA_DIR) },
    ));
  const realtime = createRealtime();
  const limiter = new RateLimiter();
  const mailer = createMailer(config.SMTP_URL, config.BECKON_MAIL_FROM, logger);
  // The port is known only after listening (PORT=0), and seeding needs it; requests wait until then.
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const app = createApp({
    database,
    db: database.db,
    config,
    logger,
    limiter,
    realtime,
    publicDir: options.publicDir ?? defaultPublicDir,
    ready,
    mailer,
  });

  const httpServer = await new Promise<HttpServer>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(server as HttpServer));
    server.once('error', reject);
  });
  const sockets = await attachSocketServer(httpServer, {
    db: database.db,
    logger,
    limiter,
    realtime,
    mailer,
    publicUrl: () => url,
    redisUrl: config.REDIS_URL,
    trustProxy: config.BECKON_TRUST_PROXY,
    chatOpenings: chatOpeningLimits({ perAddress: config.BECKON_CHAT_OPENINGS_PER_ADDRESS, perSite: config.BECKON_CHAT_OPENINGS_PER_SITE }),
  });
  realtime.attach(sockets.agents, sockets.visitors, (agentIds) => readAwayAgents(database.db, agentIds));
  // Temperature changes reach the site's dashboards from whichever code path scored them.
  const stopScorePush = onTemperatureChange((change) => realtime.toSite(change.siteId, 'visitor:score', change));
  const stopLeadTemperatures = followTemperatureChanges({ db: database.db, realtime, logger });
  const stopConversionWebhooks = conversionWebhooks(database.db);
  // A visitor turning hot re-orders the queues and routes their waiting chat or callback again.
  const stopHotRouting = followTemperatureForRouting({ db: database.db, realtime, logger });
  const stopHotPush = pushHotToVisitors({ db: database.db, realtime });

  const port = (httpServer.address() as AddressInfo).port;
  const selfOrigins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  if (config.BECKON_PUBLIC_URL) selfOrigins.unshift(new URL(config.BECKON_PUBLIC_URL).origin);
  const seeded = await seed(database.db, config, selfOrigins, logger);
  markReady();
  const stopPrivacyJobs = startPrivacyJobs(database.db, logger);
  const url = config.BECKON_PUBLIC_URL?.replace(/\/+$/, '') ?? `http://localhost:${port}`;
  // Every node runs one; claims with `for update skip locked` keep them from sending a row twice.
  const webhookWorker = startDeliveryWorker({ db: database.db, logger }, { allowPrivateNetworks: config.BECKON_WEBHOOKS_ALLOW_PRIVATE });
  const callbackSla = startSlaJob({ db: database.db, realtime, logger }, () => url);
  // Every node runs one; claims with `for update skip locked` keep them from moving a chat twice.
  const unansweredChats = startUnansweredJob({ db: database.db, realtime, logger });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down');
      stopScorePush();
      stopLeadTemperatures();
      stopConversionWebhooks();
      stopHotRouting();
      stopHotPush();
      await webhookWorker.stop();
      await callbackSla.stop();
      await unansweredChats.stop();
      stopPrivacyJobs();
      realtime.detach();
      // Stop accepting first; `close` resolves once in-flight requests have finished.
      const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections?.();
      await sockets.close();
      await httpClosed;
      if (ownsDatabase) await database.close();
      logger.info('stopped');
    })());

  return { url, port, database, seeded, logger, close };
}
