import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { callbackRoutedWork, startSlaJob } from './features/callbacks/index.js';
import { chatRoutedWork } from './features/chat/index.js';
import { followTemperatureForRouting, startUnansweredJob, type RoutedWork } from './features/routing/index.js';
import type { Config } from './config.js';
import { openDatabase, type Database, type DatabaseOptions, type PostgresTimeouts } from './db/client.js';
import { conversionWebhooks } from './features/audiences/index.js';
import { followTemperatureChanges } from './features/leads/index.js';
import {
  derivationsIdle,
  dropExpiredEventPartitions,
  startDerivationRecovery,
  startEventPartitionJob,
} from './features/collect/index.js';
import { startStatisticsUpkeep } from './db/statistics.js';
import { startPrivacyJobs } from './features/privacy/index.js';
import { startReportJobs } from './features/reports/index.js';
import { onTemperatureChange, scoringJobRunner } from './features/scoring/index.js';
import { pushHotToVisitors } from './features/triggers/index.js';
import { seed, type SeedResult } from './features/seed/index.js';
import { startDeliveryWorker } from './features/webhooks/index.js';
import { errorBody, unavailableRetryAfterSeconds } from './lib/errors.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createMailer } from './lib/mailer.js';
import { connectRateLimiter } from './lib/rate-limit.js';
import { attachSocketServer } from './realtime/io.js';
import { chatOpeningLimits, readAwayAgents } from './features/chat/index.js';
import { createRealtime } from './realtime/realtime.js';
import { createServerMetrics } from './features/metrics/index.js';

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
  /** The embedded database cannot go on (its disk filled while writing its log); `main` exits so a supervisor restarts it. */
  onFatal?: (error: Error) => void;
}

/** The database the configuration names, with the bounds on waiting for it. */
export function databaseOptions(config: Config, onFatal?: (error: Error) => void): DatabaseOptions {
  if (!config.DATABASE_URL) {
    return {
      kind: 'pglite',
      dataDir: resolveDataDir(config.BECKON_DATA_DIR),
      minFreeBytes: config.BECKON_DATA_MIN_FREE_MB * 1024 * 1024,
      ...(onFatal ? { onFatal } : {}),
    };
  }
  const timeouts: Partial<PostgresTimeouts> = {};
  if (config.BECKON_DB_CONNECT_TIMEOUT_MS) timeouts.connectTimeoutMs = config.BECKON_DB_CONNECT_TIMEOUT_MS;
  if (config.BECKON_DB_STATEMENT_TIMEOUT_MS) timeouts.statementTimeoutMs = config.BECKON_DB_STATEMENT_TIMEOUT_MS;
  if (config.BECKON_DB_ACQUIRE_TIMEOUT_MS) timeouts.acquireTimeoutMs = config.BECKON_DB_ACQUIRE_TIMEOUT_MS;
  return { kind: 'postgres', url: config.DATABASE_URL, timeouts };
}

/**
 * A relative data dir is relative to where the user typed `npm start` (npm's INIT_CWD), not to the
 * server workspace npm runs the script in, so `./.beckon` lands where the README says.
 */
export const resolveDataDir = (dataDir: string) => resolve(process.env.INIT_CWD ?? process.cwd(), dataDir);

const shuttingDown = () =>
  Response.json(errorBody('unavailable', 'The server is shutting down; send the request again'), {
    status: 503,
    headers: { connection: 'close', 'retry-after': String(unavailableRetryAfterSeconds) },
  });

/** Opens the database (migrating it), listens, seeds, and attaches socket.io. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.BECKON_LOG_LEVEL);
  const ownsDatabase = !options.database;
  const onFatal =
    options.onFatal ??
    ((error: Error) => logger.error('database failed; restart the server', { error: error.message }));
  const database = options.database ?? (await openDatabase(databaseOptions(config, onFatal)));
  // Logged once per change, not per refused request: what an operator reads during an outage.
  const stopAvailabilityLog = database.onAvailabilityChange((status) =>
    status.available
      ? logger.info('database available again')
      : logger.error('database unavailable: refusing work until it is back', {
          reason: status.reason,
          message: status.message,
        }),
  );
  const realtime = createRealtime({ logger });
  const rateLimits = connectRateLimiter({
    redisUrl: config.REDIS_URL,
    prefix: `${config.BECKON_REDIS_PREFIX}rate:`,
    logger,
  });
  const limiter = rateLimits.limiter;
  const mailer = createMailer(config.SMTP_URL, config.BECKON_MAIL_FROM, logger);
  const metrics = createServerMetrics();
  // The port is known only after listening (PORT=0), and seeding needs it; requests wait until then.
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  // After SIGTERM nothing new is started: requests that arrive on open connections get 503 and go elsewhere.
  let closing: Promise<void> | undefined;
  const app = createApp({
    database,
    db: database.db,
    ackDb: database.ackDb,
    config,
    logger,
    limiter,
    realtime,
    publicDir: options.publicDir ?? defaultPublicDir,
    ready,
    mailer,
    metrics,
  });

  const httpServer = await new Promise<HttpServer>((resolve, reject) => {
    const fetch = (request: Request, env: unknown) => (closing ? shuttingDown() : app.fetch(request, env));
    const server = serve({ fetch, port: config.PORT, hostname: config.HOST }, () => resolve(server as HttpServer));
    // Node closes an idle keep-alive connection after 5 s; a client (or load balancer) reusing it at that
    // moment gets "socket hang up". Idle connections stay open longer than common client and proxy idle
    // timeouts (60 s), so the client is the side that closes them (seen as ECONNRESET in the e2e run).
    const http = server as HttpServer;
    http.keepAliveTimeout = 65_000;
    http.headersTimeout = 66_000;
    server.once('error', reject);
  });
  const sockets = await attachSocketServer(httpServer, {
    db: database.db,
    ackDb: database.ackDb,
    logger,
    limiter,
    realtime,
    mailer,
    metrics,
    publicUrl: () => url,
    redisUrl: config.REDIS_URL,
    redisPrefix: config.BECKON_REDIS_PREFIX,
    trustProxy: config.BECKON_TRUST_PROXY,
    chatOpenings: chatOpeningLimits({
      perAddress: config.BECKON_CHAT_OPENINGS_PER_ADDRESS,
      perSite: config.BECKON_CHAT_OPENINGS_PER_SITE,
    }),
  });
  realtime.attach(sockets.agents, sockets.visitors, (agentIds, db = database.db) => readAwayAgents(db, agentIds), {
    spanNodes: Boolean(config.REDIS_URL),
  });
  // Temperature changes reach the site's dashboards from whichever code path scored them.
  const stopScorePush = onTemperatureChange((change) => realtime.toSite(change.siteId, 'visitor:score', change));
  const stopLeadTemperatures = followTemperatureChanges({ db: database.db, realtime, logger });
  const stopConversionWebhooks = conversionWebhooks(database.db);
  // A visitor turning hot re-orders the queues and routes their waiting chat or callback again.
  // Routing's jobs get the kinds of work they route from here, so routing imports neither chat nor callbacks.
  const routedWork: RoutedWork[] = [chatRoutedWork, callbackRoutedWork];
  const stopHotRouting = followTemperatureForRouting({ db: database.db, realtime, logger }, routedWork);
  const stopHotPush = pushHotToVisitors({ db: database.db, realtime });

  const port = (httpServer.address() as AddressInfo).port;
  const selfOrigins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  if (config.BECKON_PUBLIC_URL) selfOrigins.unshift(new URL(config.BECKON_PUBLIC_URL).origin);
  const seeded = await seed(database.db, config, selfOrigins, logger);
  markReady();
  const stopPrivacyJobs = startPrivacyJobs(database.db, logger, { dropWholeMonths: dropExpiredEventPartitions });
  // Every node runs one (now, then every 6 h); an advisory lock makes them take turns creating the months ahead.
  const eventPartitions = startEventPartitionJob(database.db, logger);
  // Where autovacuum does not run (PGlite; PostgreSQL with it off), statistics are refreshed here instead.
  const statisticsUpkeep = await startStatisticsUpkeep(database, logger).catch((error: unknown) => {
    logger.error('statistics upkeep not started', { error });
    return null;
  });
  const stopReportJobs = startReportJobs({ db: database.db, realtime, mailer, logger, config });
  const url = config.BECKON_PUBLIC_URL?.replace(/\/+$/, '') ?? `http://localhost:${port}`;
  // Every node runs one; claims with `for update skip locked` keep them from sending a row twice.
  const webhookWorker = startDeliveryWorker(
    { db: database.db, logger },
    { allowPrivateNetworks: config.BECKON_WEBHOOKS_ALLOW_PRIVATE },
  );
  const callbackSla = startSlaJob({ db: database.db, realtime, logger }, () => url);
  // Every node runs one; claims with `for update skip locked` keep them from moving a chat twice.
  const unansweredChats = startUnansweredJob({ db: database.db, realtime, logger }, routedWork);
  // Every node runs one (the scoring routes kick it); claims with `for update skip locked` and a lease.
  const scoringJobs = scoringJobRunner({ db: database.db, realtime, logger });
  void scoringJobs.kick();
  // Every node runs one; claims with `for update skip locked` keep two nodes from deriving the same events.
  const derivationRecovery = startDerivationRecovery(database.ackDb, logger);

  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down');
      // Stop accepting at once: no new connections, idle keep-alive connections closed, new requests on
      // busy ones refused (above); `httpClosed` resolves once the requests in flight have been answered.
      const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections?.();
      // A connection answering its last request now turns idle afterwards and would be kept for the keep-alive
      // timeout (65 s): close such connections as they become idle until the server has closed.
      const idleSweep = setInterval(() => httpServer.closeIdleConnections?.(), 100);
      void httpClosed.finally(() => clearInterval(idleSweep));
      stopScorePush();
      stopLeadTemperatures();
      stopConversionWebhooks();
      stopHotRouting();
      stopHotPush();
      stopPrivacyJobs();
      stopReportJobs();
      // In-flight webhook requests are aborted and their rows handed back for another node, not waited for.
      await Promise.all([
        eventPartitions.stop(),
        statisticsUpkeep?.stop(),
        webhookWorker.stop(),
        callbackSla.stop(),
        unansweredChats.stop(),
        scoringJobs.stop(),
        derivationRecovery.stop(),
      ]);
      realtime.detach();
      await sockets.close();
      await httpClosed;
      // The answered batches' derivations finish before the database closes (else recovery does them later).
      await derivationsIdle(database.ackDb);
      await rateLimits.close();
      if (ownsDatabase) await database.close();
      stopAvailabilityLog();
      logger.info('stopped');
    })());

  return { url, port, database, seeded, logger, close };
}
