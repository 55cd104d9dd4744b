import { z } from 'zod';
import { siteKeySchema } from '@beckon/sdk/protocol';

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  BECKON_DATA_DIR: z.string().min(1).default('./.beckon'),
  BECKON_ADMIN_EMAIL: z.string().trim().toLowerCase().email('must be an email address').optional(),
  BECKON_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  BECKON_DEMO_SITE_KEY: siteKeySchema.default('demo'),
  /** Public origin of this server, used in the demo site's allowed origins and in printed URLs. */
  BECKON_PUBLIC_URL: z.string().url('must be a URL like https://beckon.example.com').optional(),
  /** Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy in front of Beckon. */
  /**
   * Lets webhook URLs point at loopback, private and link-local addresses (a CRM inside your own
   * network). Off by default: the server would otherwise call whatever internal address an admin types.
   */
  BECKON_WEBHOOKS_ALLOW_PRIVATE: booleanFlag.default(false),
  BECKON_TRUST_PROXY: booleanFlag.default(false),
  /**
   * Header your trusted proxy or CDN puts the visitor's country in (e.g. `CF-IPCountry`). Read only with
   * BECKON_TRUST_PROXY; kept per visit as an ISO code. Beckon never looks countries up itself.
   */
  BECKON_COUNTRY_HEADER: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{1,64}$/, 'a header name like CF-IPCountry')
    .optional(),
  /**
   * New chat conversations one address may open per site in 12 hours (a quarter of it, at least 5, per
   * 10 minutes), and a site may receive per hour from all addresses. Raise them for load tests.
   */
  BECKON_CHAT_OPENINGS_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  BECKON_CHAT_OPENINGS_PER_SITE: z.coerce.number().int().min(1).default(500),
  /** Bounds on waiting for PostgreSQL (README "Operations"); unset keeps the defaults in `db/client.ts`. */
  BECKON_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
  BECKON_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).optional(),
  BECKON_DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
  /** Free space (MB) embedded PostgreSQL keeps on its disk; below it the server refuses work until space returns. */
  BECKON_DATA_MIN_FREE_MB: z.coerce.number().int().min(0).max(1_000_000).default(64),
  /** Bearer token a Prometheus scraper sends to `GET /api/metrics` (admins can read it with their session). */
  BECKON_METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .regex(/^\S+$/, 'must not contain spaces')
    .optional(),
  /**
   * API sync lists leave out rows changed in the last N ms: a write that committed late (its stamp is from
   * when it began) then still lands behind a CRM's cursor instead of before it. Longer than any write transaction.
   */
  BECKON_API_SYNC_SETTLE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** Requests per minute one API key may make (every node together, with Redis). */
  BECKON_API_KEY_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(600),
  BECKON_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /**
   * How far (percent) V8 lets the old generation grow past what the last full collection kept before it
   * collects again (README "Operations": memory for latency); 0 leaves V8's own adaptive choice.
   */
  BECKON_HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(1000).default(300),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  /** Prepended to Beckon's Redis keys (shared rate limits), so several installations can share one Redis. */
  BECKON_REDIS_PREFIX: z.string().min(1).max(100).default('beckon:'),
  /** Outgoing mail (offline-message notices), e.g. `smtps://user:pass@smtp.example.com:465`. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  BECKON_MAIL_FROM: z.string().min(3).default('Beckon <beckon@localhost>'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the environment once at start-up; a bad value stops the server with a message naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings from shell templates mean "unset", not "invalid".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.BECKON_ADMIN_PASSWORD && !parsed.data.BECKON_ADMIN_EMAIL) {
    throw new ConfigError('Invalid configuration:\n  BECKON_ADMIN_PASSWORD is set but BECKON_ADMIN_EMAIL is not');
  }
  return parsed.data;
}
