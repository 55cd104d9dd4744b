import { Hono } from 'hono';
import { limitBody } from '../../lib/body-limit.js';
import {
  feedbackReportQuerySchema,
  feedbackRequestSchema,
  feedbackCreatedSchema,
  feedbackReportSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { clientIp } from '../../lib/client-ip.js';
import { AppError } from '../../lib/errors.js';
import { parse, readJson } from '../../lib/validate.js';
import { requireAgent } from '../auth/index.js';
import { rejectAutomated, publicUrlOf } from '../callbacks/index.js';
import { publicCors, requireAllowedOrigin, findSiteByKey, getVisibleSite } from '../sites/index.js';
import { feedbackReport, storeFeedback } from './service.js';
import { describe } from '../../lib/openapi.js';

export const feedbackLimits = {
  maxBodyBytes: 16 * 1024,
  perSiteAndIp: { limit: 20, windowMs: 60 * 60 * 1000 },
  perSite: { limit: 2000, windowMs: 60 * 60 * 1000 },
  /** Scores take a click; a second is enough to tell a person from a script. */
  minFormSeconds: 1,
};

/** `POST /v1/feedback`: NPS, CSAT and messages from the widget or the SDK. */
export function publicFeedbackRoutes(deps: AppDeps) {
  const { db, limiter } = deps;
  return new Hono<AppEnv>().use(publicCors()).post(
    '/feedback',
    describe({
      tag: 'Feedback',
      summary: 'Send feedback (NPS, CSAT or a message)',
      description: 'Sent by the widget and the npm SDK from an allowed origin.',
      access: 'public',
      body: feedbackRequestSchema,
      errors: ['unknown_site', 'origin_not_allowed', 'rate_limited', 'forbidden', 'unavailable'],
      responses: { 201: feedbackCreatedSchema },
    }),
    limitBody({
      maxSize: feedbackLimits.maxBodyBytes,
      onError: () => {
        throw new AppError('payload_too_large', `Feedback is at most ${feedbackLimits.maxBodyBytes} bytes`);
      },
    }),
    async (c) => {
      const body = await readJson(c, feedbackRequestSchema);
      const site = await findSiteByKey(db, body.site);
      if (!site) throw new AppError('unknown_site', `No site with key "${body.site}"`);
      requireAllowedOrigin(c, site, c.req.header('origin'));
      if (!site.feedback.enabled) throw new AppError('unavailable', 'Feedback is switched off for this site');
      rejectAutomated(body, feedbackLimits.minFormSeconds);
      await limiter.enforce(
        `feedback-ip:${site.id}:${clientIp(c, deps.config.BECKON_TRUST_PROXY)}`,
        feedbackLimits.perSiteAndIp,
        'Thanks, we have enough feedback from you for now.',
      );
      await limiter.enforce(`feedback-site:${site.id}`, feedbackLimits.perSite);
      const feedback = await storeFeedback(
        deps,
        site,
        {
          kind: body.kind,
          score: body.score,
          text: body.text,
          email: body.email,
          visitorId: body.visitorId,
          pageUrl: body.url,
        },
        publicUrlOf(deps, c),
      );
      return c.json({ feedback: { id: feedback.id, kind: feedback.kind, createdAt: feedback.createdAt } }, 201);
    },
  );
}

/** `/api/sites/:siteId/feedback`: scores per period and the answers, for members of the site. */
export function siteFeedbackRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono<AppEnv>().use(requireAgent(deps)).get(
    '/',
    describe({
      tag: 'Feedback',
      summary: 'NPS / CSAT report and the answers of a period',
      access: 'agent',
      scope: 'reports:read',
      params: { siteId: 'Site id' },
      query: feedbackReportQuerySchema,
      responses: { 200: feedbackReportSchema },
    }),
    async (c) => {
      const site = await getVisibleSite(db, c.get('agent'), c.req.param('siteId') ?? '');
      const query = parse(feedbackReportQuerySchema, c.req.query());
      return c.json(await feedbackReport(db, site.id, query.days, { kind: query.kind, limit: query.limit }));
    },
  );
}
