import type { Config } from './config.js';
import type { Db, Database } from './db/client.js';
import type { Logger } from './lib/logger.js';
import type { Mailer } from './lib/mailer.js';
import type { RateLimiter } from './lib/rate-limit.js';
import type { Realtime } from './realtime/realtime.js';
import type { AgentRow } from './db/schema.js';
import type { ServerMetrics } from './features/metrics/index.js';

/** Everything a feature needs, passed in so tests can build an app around any database. */
export interface AppDeps {
  database: Database;
  db: Db;
  /** Connections kept for writes a client is waiting on (see `Database.ackDb`); `db` when unset. */
  ackDb?: Db;
  config: Config;
  logger: Logger;
  limiter: RateLimiter;
  realtime: Realtime;
  /** Folder with the built widget, dashboard and demo shop (see scripts/copy-assets.mjs). */
  publicDir: string;
  /** Unset without SMTP: notices then stay in the dashboard only. */
  mailer?: Mailer;
  /** This node's latency histograms, exported on `GET /api/metrics`. */
  metrics: ServerMetrics;
  /** Requests wait for this (start-up seeding), so nothing is answered from a half-initialised database. */
  ready?: Promise<unknown>;
}

export interface AuthedSession {
  id: string;
  csrfToken: string;
}

export type AgentIdentity = Pick<AgentRow, 'id' | 'email' | 'name' | 'role'>;

/** The API key a request authenticated with (`Authorization: Bearer bk_live_…`); see features/api-keys. */
export interface ApiKeyPrincipal {
  id: string;
  prefix: string;
  scopes: readonly string[];
  /** Null: every site. */
  siteIds: readonly string[] | null;
  /** The key's creator, as whom its changes are recorded. */
  agent: AgentIdentity;
}

export interface AppEnv {
  Variables: {
    agent: AgentIdentity;
    apiKey?: ApiKeyPrincipal;
    session: AuthedSession;
    /** The client's address as logged (hashed, see `hashIp`): computed on the first call, then kept. */
    ipHash: () => string;
  };
}
