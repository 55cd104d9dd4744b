import { Hono, type Context } from 'hono';
import { limitBody } from '../../lib/body-limit.js';
import {
  collectBatchSchema,
  configQuerySchema,
  importEventsSchema,
  importEventsResponseSchema,
  type CollectResponse,
  type IdentifiedCollectBatch,
  type PublicSiteConfig,
  publicSiteConfigSchema,
  collectResponseSchema,
  installHealthAnswerSchema,
  livePageviewListSchema,
  pageviewsQuerySchema,
} from '@beckon/sdk/protocol';
import { evaluateAudiences, emitAudienceEntries } from '../audiences/index.js';
import { hasGpc } from '../consent/index.js';
import { checkIdentity, recordVerification } from '../identity/index.js';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { isDatabaseUnavailable } from '../../db/client.js';
import { AppError, databaseUnavailable } from '../../lib/errors.js';
import { clientIp, truncateIp, trustedCountry } from '../../lib/client-ip.js';
import { setVisitCountry, anonymousVisitorId, DailySalt } from '../privacy/index.js';
import { parse, readJson } from '../../lib/validate.js';
import {
  publicCors,
  requireAllowedOrigin,
  findSiteByKey,
  getVisibleSite,
  siteOfKeyParam,
  toPublicConfig,
} from '../sites/index.js';
import { readUserAgent } from '../../lib/device.js';
import { createTemperatureRelay } from '../scoring/index.js';
import { localizeConfig, visitorLanguage } from '../sites/index.js';
import { createIngestor, isRefusedData } from './ingest.js';
import { identifyFromEvents } from '../persons/index.js';
import { publicTriggers } from '../triggers/index.js';
import { requireAdmin, requireAgent } from '../auth/index.js';
import { importEvents } from './import.js';
import { createDropCounter, installHealth, type DropCounter } from './drops.js';
import { recentPageviews } from './service.js';
import type { SiteRow } from '../../db/schema.js';
import { describe } from '../../lib/openapi.js';

export const collectLimits = {
  /** 50 events a request at most, so this is thousands of events a minute per visitor address. */
  perSiteAndIp: { limit: 120, windowMs: 60_000 },
  maxBodyBytes: 64 * 1024,
};

// One counter per database handle, shared by the public routes (which count) and the Install page (which reads).
const dropCounters = new WeakMap<object, DropCounter>();
const dropCounterFor = ({ db, logger }: Pick<AppDeps, 'db' | 'logger'>) => {
  let counter = dropCounters.get(db);
  if (!counter) dropCounters.set(db, (counter = createDropCounter(db, logger)));
  return counter;
};

/** The public HTTP the widget calls: site config and behaviour batches. */
export function publicRoutes(deps: AppDeps) {
  const { db, limiter, realtime, logger } = deps;
  const drops = dropCounterFor(deps);
  // A refused origin is counted for the Install page ("requests refused from … — add it?") before the 403.
  const allowOrigin = (c: Context, site: SiteRow, origin: string | undefined) => {
    try {
      requireAllowedOrigin(c, site, origin);
    } catch (error) {
      drops.refusedOrigin(site.id, origin);
      throw error;
    }
  };
  const salts = new DailySalt(db);
  // Listeners (the live push, webhooks, routing) run after the answers, on the changes of 25 ms of groups at
  // once; their errors never fail an answer.
  const relayTemperatureChanges = createTemperatureRelay(25, (error) =>
    logger.error('temperature listener failed', { error }),
  );
  // Each answer waits on its group's commit: the groups go through the connections kept for acks.
  const ingestor = createIngestor(
    deps.ackDb ?? db,
    ({ pageviews, visitors, changes }) => {
      // Queued into the sites' frames: every group's pageviews and visitors reach a dashboard as one write per 20 ms.
      for (const pageview of pageviews) realtime.pageviewToSite(pageview.siteId, pageview);
      for (const visitor of visitors) realtime.visitorToSite(visitor.siteId, visitor);
      relayTemperatureChanges(changes);
    },
    // Answered at the events' commit; visitors and scores follow a moment later (ARCHITECTURE.md,
    // "Derivation after the answer"). A group is one round trip now, so it leaves after 1 ms of company, not
    // the committer's default 4: bench:ingest-ab, 4 rounds, 10,896 against 9,526 events/s, CPU per event
    // within 5 %; 2 ms gave 8-11 % more than 4, and 1 ms 6 % more than 2 (tests/bench/README.md, "Ingestion",
    // "A fourth session, 7 December 2026").
    { deferDerivation: true, deriveDb: db, windowMs: 1, logger },
  );
  return new Hono<AppEnv>()
    .use(publicCors())
    .get(
      '/sites/:siteKey/config',
      describe({
        tag: 'Collect',
        summary: 'The widget’s configuration of a site',
        description:
          'Public and cached for a minute; in the visitor’s language on `auto` sites (`lang`, else Accept-Language).',
        access: 'public',
        params: { siteKey: 'The site key' },
        query: configQuerySchema,
        errors: ['unknown_site', 'origin_not_allowed'],
        responses: { 200: publicSiteConfigSchema },
      }),
      async (c) => {
        const site = await siteOfKeyParam(db, c.req.param('siteKey'));
        // Same-origin requests carry no Origin; any cross-origin page must be an allowed one.
        const origin = c.req.header('origin');
        if (origin) allowOrigin(c, site, origin);
        c.header('Cache-Control', 'public, max-age=60');
        // The answer is in the visitor's language on `auto` sites: caches keep one per browser language.
        c.header('Vary', 'Origin, Accept-Language');
        const triggers = await publicTriggers(db, site.id);
        const config: PublicSiteConfig = { ...toPublicConfig(site), ...(triggers.length ? { triggers } : {}) };
        const query = configQuerySchema.safeParse({ lang: c.req.query('lang') });
        const language = visitorLanguage(
          config.widget,
          query.success ? query.data.lang : undefined,
          c.req.header('accept-language'),
        );
        return c.json(localizeConfig(config, language));
      },
    )
    .post(
      '/collect',
      describe({
        tag: 'Collect',
        summary: 'Send a batch of behaviour events',
        description:
          'Sent by the widget’s tracker. Answered after the batch’s events are committed (the visitor’s visit and score follow within moments; a batch with an identify, marketing consent or a trusted country header is answered after them); duplicates (by event id) are counted, not stored again.',
        access: 'public',
        body: collectBatchSchema,
        errors: ['unknown_site', 'origin_not_allowed', 'rate_limited', 'unauthorized', 'unavailable'],
        responses: { 200: collectResponseSchema },
      }),
      limitBody({
        maxSize: collectLimits.maxBodyBytes,
        onError: () => {
          throw new AppError('payload_too_large', `A batch is at most ${collectLimits.maxBodyBytes} bytes`);
        },
      }),
      async (c) => {
        // For this node's latency histograms (`GET /api/metrics`).
        const arrived = performance.now();
        const batch = await readJson(c, collectBatchSchema);
        const site = await findSiteByKey(db, batch.site);
        if (!site) throw new AppError('unknown_site', `No site with key "${batch.site}"`);
        allowOrigin(c, site, c.req.header('origin'));
        await limiter.enforce(
          `collect:${site.id}:${clientIp(c, deps.config.BECKON_TRUST_PROXY)}`,
          collectLimits.perSiteAndIp,
        );
        // Crawlers and headless scrapers would skew scores and the live list: accepted, never stored.
        const userAgent = readUserAgent(c.req.header('user-agent') ?? '');
        if (userAgent.bot) {
          drops.bot(site.id, batch.events.length);
          return c.json({ stored: 0, duplicates: 0, dropped: batch.events.length });
        }
        const receivedAt = new Date();
        // The device class is the server's reading of the user agent, never the page's word.
        batch.context = { ...batch.context, device: userAgent.device };
        // Before consent the browser sends no ids: the visitor is counted under the day's salted hash.
        let identified: IdentifiedCollectBatch;
        if (batch.anonymous) {
          const anonymousId = anonymousVisitorId(
            await salts.forDay(receivedAt),
            site.id,
            truncateIp(clientIp(c, deps.config.BECKON_TRUST_PROXY)),
            c.req.header('user-agent') ?? '',
          );
          identified = { ...batch, visitorId: anonymousId, sessionId: anonymousId };
        } else {
          identified = { ...batch, visitorId: batch.visitorId!, sessionId: batch.sessionId! };
        }
        // A wrong or missing identity proof refuses the whole batch before anything is stored (401, no change).
        const identity = checkIdentity(site, identified);
        // Answered only after the group holding this batch has committed: an acknowledged event is never lost.
        let response: CollectResponse;
        let derived: Promise<void>;
        try {
          ({ response, derived } = await ingestor.submit(
            { siteId: site.id, batch: identity.batch, receivedAt, validated: true },
            batch.events.length,
          ));
          deps.metrics.collectBatchCommit.observeSince(arrived);
        } catch (error) {
          // Refused for its own content (the rest of its group was stored): sending it again cannot help, so
          // the client drops it. Anything else is the database's trouble: the client sends it again.
          if (error instanceof AppError) throw error;
          // An outage is logged once, when the database becomes unavailable; anything else is worth a line.
          if (isDatabaseUnavailable(error)) logger.debug('collect batch refused: database unavailable');
          else logger.error('collect group failed', { error });
          if (isRefusedData(error))
            throw new AppError('validation_failed', 'The batch holds a value that cannot be stored');
          throw databaseUnavailable('The batch could not be stored; send it again');
        }
        const country = trustedCountry(c, deps.config);
        // Segments and audiences are marketing: only with that consent, never under Global Privacy Control
        // (nor under Do Not Track when the site honours it, whatever an outdated page state claims).
        const optedOut =
          hasGpc(c.req.header('sec-gpc')) || (site.consent.honourDnt && c.req.header('dnt')?.trim() === '1');
        const audiences = !batch.anonymous && batch.consent?.marketing && !optedOut;
        // What follows reads or writes the visitor as derived from this batch (its verified user id, identity,
        // visit, temperature): such a batch is answered after its derivation, every other one at its commit.
        const readsDerived = country !== null || audiences || batch.events.some((event) => event.type === 'identify');
        if (readsDerived) await derived;
        await recordVerification(db, site.id, identified.visitorId, identity);
        // An identify names the person behind this browser (persons merge by email / phone). The events are
        // already committed: a failure here is logged, never turned into a refused batch.
        if (!batch.anonymous) {
          await identifyFromEvents(
            db,
            site.id,
            identified.visitorId,
            identity.batch.events,
            identity.verifiedUserId,
          ).catch((error: unknown) => logger.error('identifying the person failed', { error, siteId: site.id }));
        }
        if (country) await setVisitCountry(db, site.id, identified.visitorId, country);
        if (audiences) {
          const evaluation = await evaluateAudiences(db, site, identified.visitorId, receivedAt);
          void emitAudienceEntries(evaluation.entries, (error) => logger.error('audience listener failed', { error }));
          response = { ...response, segments: evaluation.segments, audiences: evaluation.entered };
        }
        deps.metrics.collectBatchAnswer.observeSince(arrived);
        return c.json(response);
      },
    );
}

/**
 * `/api/sites/:id/…` for agents: the Install page's health (origins refused and events dropped as bots in the
 * last 24 h) and the latest pageviews.
 */
export function siteCollectRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/:id/install-health',
      describe({
        tag: 'Sites',
        summary: 'Is the tag working: refused origins and bot traffic (24 h)',
        access: 'agent',
        params: { id: 'Site id' },
        responses: { 200: installHealthAnswerSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(deps.db, c.get('agent'), c.req.param('id'));
        // This node's counts first, so what just happened here shows at once (other nodes follow within seconds).
        await dropCounterFor(deps).flush();
        return c.json({ health: await installHealth(deps.db, site.id, site.allowedOrigins) });
      },
    )
    .post(
      '/:id/events/import',
      describe({
        tag: 'Visitors',
        summary: 'Import behaviour history (backfill)',
        description:
          'Events up to five years old, in batches per visitor; idempotent by event id. Events outside the window are counted as rejected, never re-stamped.',
        access: 'admin',
        params: { id: 'Site id' },
        body: importEventsSchema,
        responses: { 200: importEventsResponseSchema },
      }),
      requireAdmin(),
      async (c) => {
        const site = await getVisibleSite(deps.db, c.get('agent'), c.req.param('id'));
        const answer = await importEvents(deps.db, site.id, await readJson(c, importEventsSchema), deps.logger);
        deps.logger.info('events imported', { siteId: site.id, agentId: c.get('agent').id, ...answer });
        return c.json(answer);
      },
    )
    .get(
      '/:id/pageviews',
      describe({
        tag: 'Visitors',
        summary: 'The latest pageviews',
        access: 'agent',
        params: { id: 'Site id' },
        query: pageviewsQuerySchema,
        responses: { 200: livePageviewListSchema },
      }),
      async (c) => {
        const site = await getVisibleSite(deps.db, c.get('agent'), c.req.param('id'));
        const { limit = 50 } = parse(pageviewsQuerySchema, c.req.query());
        return c.json({ pageviews: await recentPageviews(deps.db, site.id, limit) });
      },
    );
}
