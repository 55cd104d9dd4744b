import { Hono } from 'hono';
import { limitBody } from '../../lib/body-limit.js';
import { consentRequestSchema, consentResponseSchema } from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { clientIp, truncateIp } from '../../lib/client-ip.js';
import { AppError } from '../../lib/errors.js';
import { readJson } from '../../lib/validate.js';
import { anonymousVisitorId, DailySalt } from '../privacy/index.js';
import { publicCors, requireAllowedOrigin, findSiteByKey } from '../sites/index.js';
import { hasGpc, hasVisitorRow, recordConsent } from './service.js';
import { describe } from '../../lib/openapi.js';

export const consentLimits = { perSiteAndIp: { limit: 30, windowMs: 60_000 }, maxBodyBytes: 2 * 1024 };

/** `POST /v1/consent`: the loader reports a visitor's choice; answered after the record committed. */
export function consentPublicRoutes(deps: AppDeps) {
  const { db, limiter } = deps;
  const salts = new DailySalt(db);
  return new Hono<AppEnv>().use('/consent', publicCors()).post(
    '/consent',
    describe({
      tag: 'Consent',
      summary: 'Record a visitor’s consent choice',
      description:
        'Sent by the widget’s consent prompt or the site’s own CMP. Global Privacy Control (`Sec-GPC`) always wins over marketing.',
      access: 'public',
      body: consentRequestSchema,
      errors: ['unknown_site', 'origin_not_allowed', 'rate_limited'],
      responses: { 200: consentResponseSchema },
    }),
    limitBody({
      maxSize: consentLimits.maxBodyBytes,
      onError: () => {
        throw new AppError('payload_too_large', `A consent choice is at most ${consentLimits.maxBodyBytes} bytes`);
      },
    }),
    async (c) => {
      const request = await readJson(c, consentRequestSchema);
      const site = await findSiteByKey(db, request.site);
      if (!site) throw new AppError('unknown_site', `No site with key "${request.site}"`);
      requireAllowedOrigin(c, site, c.req.header('origin'));
      const ip = clientIp(c, deps.config.BECKON_TRUST_PROXY);
      await limiter.enforce(`consent:${site.id}:${ip}`, consentLimits.perSiteAndIp);
      // This browser's pre-consent hash today (same salt, truncated address and user agent as its anonymous pageviews).
      const anonymousId = async () =>
        anonymousVisitorId(await salts.forDay(new Date()), site.id, truncateIp(ip), c.req.header('user-agent') ?? '');
      // A choice made before any id exists (a denial in the prompt) is kept against the day's anonymous hash.
      const visitorId = request.visitorId ?? (await anonymousId());
      const gpc = hasGpc(c.req.header('sec-gpc'));
      const { state, recordedAt } = await recordConsent(db, site.id, visitorId, request, gpc);
      if (request.visitorId && state.analytics) {
        // The anonymous row of this browser's pre-consent pageviews is this visitor from now on: the same
        // choice is kept against the hash, which takes that row off the Visitors page until the hash is
        // active again (someone else behind the same address and browser who has not consented). The two
        // are never linked: the pre-consent pageviews stay anonymous.
        const former = await anonymousId();
        if (await hasVisitorRow(db, site.id, former)) {
          await recordConsent(db, site.id, former, request, gpc);
          deps.realtime.toSiteWatchers(site.id, 'visitors:gone', { visitorIds: [former] });
        }
      }
      return c.json({ state, recordedAt: recordedAt.toISOString() });
    },
  );
}
