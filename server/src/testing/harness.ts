import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createApp } from '../app.js';
import { derivationsIdle } from '../features/collect/index.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { seed } from '../features/seed/index.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { RateLimiter } from '../lib/rate-limit.js';
import { createRealtime, type Realtime } from '../realtime/realtime.js';
import type { Mailer } from '../lib/mailer.js';
import { createServerMetrics } from '../features/metrics/index.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** Integration tests run on PGlite always, and on real PostgreSQL when TEST_DATABASE_URL is set. */
export const databaseKinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export const testAdmin = { email: 'admin@example.test', password: 'correct horse battery' };
export const testOrigin = 'http://localhost:3999';

/** A fresh, migrated database: in-memory PGlite, or a new PostgreSQL database dropped on dispose. */
export async function openTestDatabase(kind: DatabaseKind): Promise<
  Database & {
    dispose(): Promise<void> /** PostgreSQL only: for a server process of its own on the same database. */;
    url?: string;
  }
> {
  if (kind === 'pglite') {
    const loadDataDir = await pgliteTemplate();
    const database = await openDatabase({ kind: 'pglite', ...(loadDataDir ? { loadDataDir } : {}) });
    return { ...database, dispose: database.close };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `beckon_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  // A copy of the suite's migrated database (pglite-template.ts); openDatabase's migrator then finds
  // nothing left to apply.
  const template = inject('postgresTemplate');
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 5 });
  return {
    ...database,
    url: url.toString(),
    async dispose() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

let template: Promise<Blob | undefined> | undefined;
/** The migrated dump made by the global setup (`pglite-template.ts`), read once per test file. */
function pgliteTemplate() {
  template ??= (async () => {
    const file = inject('pgliteTemplate');
    return file ? new Blob([await readFile(file)]) : undefined;
  })();
  return template;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    BECKON_ADMIN_EMAIL: testAdmin.email,
    BECKON_ADMIN_PASSWORD: testAdmin.password,
    BECKON_LOG_LEVEL: 'silent',
    BECKON_TRUST_PROXY: 'true',
    PORT: '0',
    ...overrides,
  });
}

/** An app around a fresh seeded database, driven through `app.request()` (no port). */
export async function createTestApp(
  kind: DatabaseKind,
  options: { realtime?: Realtime; config?: Config; mailer?: Mailer; logger?: Logger } = {},
) {
  const database = await openTestDatabase(kind);
  const config = options.config ?? testConfig();
  const logger = options.logger ?? createLogger('silent');
  await seed(database.db, config, [testOrigin], logger);
  const app = createApp({
    database,
    db: database.db,
    config,
    logger,
    limiter: new RateLimiter(),
    realtime: options.realtime ?? createRealtime(),
    publicDir: '/nonexistent-beckon-public',
    metrics: createServerMetrics(),
    ...(options.mailer ? { mailer: options.mailer } : {}),
  });

  /**
   * Sends JSON; `ip` becomes X-Forwarded-For so rate limits can be tested per address. A behaviour batch's
   * answer comes at its events' commit and its derivation a moment later: here it returns once the
   * derivation is done too, so the next statement of a test sees the visitor as a dashboard would by then
   * (`collect/derivation.test.ts` tests the moment in between).
   */
  const request = async (
    method: string,
    path: string,
    { body, headers = {}, ip = '203.0.113.1' }: { body?: unknown; headers?: Record<string, string>; ip?: string } = {},
  ) => {
    const response = await app.request(path, {
      method,
      headers: {
        'x-forwarded-for': ip,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (path.startsWith('/v1/collect')) await derivationsIdle(database.db);
    return response;
  };

  /** Logs in and returns headers that authenticate later requests (cookie + CSRF token). */
  async function login(email = testAdmin.email, password = testAdmin.password) {
    const response = await request('POST', '/api/auth/login', { body: { email, password } });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    const me = (await response.json()) as {
      csrfToken: string;
      agent: { id: string };
      sites: { id: string; key: string }[];
    };
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    return { me, cookie, headers: { cookie, 'x-csrf-token': me.csrfToken } };
  }

  return { app, db: database.db, database, config, request, login, dispose: database.dispose };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
