import type { Context } from 'hono';
import { Hono } from 'hono';
import { limitBody } from '../../lib/body-limit.js';
import { z } from 'zod';
import {
  callbackListQuerySchema,
  callbackOutcomeSchema,
  callbackRequestSchema,
  callbackOptionsSchema,
  callbackCreatedSchema,
  visitorCallbackAnswerSchema,
  callbackListSchema,
  callbackAnswerSchema,
} from '@beckon/sdk/protocol';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { clientIp } from '../../lib/client-ip.js';
import { AppError } from '../../lib/errors.js';
import { idParam, parse, readJson } from '../../lib/validate.js';
import { requireAgent } from '../auth/index.js';
import { publicCors, requireAllowedOrigin, findSiteByKey, getVisibleSite, siteOfKeyParam } from '../sites/index.js';
import { rejectAutomated } from './anti-abuse.js';
import { isBlockedNumber, validE164 } from './phone.js';
import { primaryLanguage } from '../routing/index.js';
import {
  callbackOptions,
  createCallback,
  listCallbacks,
  recordOutcome,
  takeCallback,
  toVisitorCallback,
  visitorCallback,
} from './service.js';
import { isOfferedSlot } from './slots.js';
import { availability } from '../chat/index.js';
import { describe } from '../../lib/openapi.js';

export const callbackLimits = {
  maxBodyBytes: 8 * 1024,
  /** The widget polls its request's status every few seconds while the visitor waits. */
  statusPerIp: { limit: 120, windowMs: 60_000 },
  optionsPerIp: { limit: 60, windowMs: 60_000 },
};

const hourMs = 60 * 60 * 1000;

/** Where links in webhooks point: the configured public URL, else the origin the request reached. */
export const publicUrlOf = (deps: Pick<AppDeps, 'config'>, c: Context) =>
  deps.config.BECKON_PUBLIC_URL?.replace(/\/+$/, '') ?? new URL(c.req.url).origin;

const tooLarge = () => {
  throw new AppError('payload_too_large', `A callback request is at most ${callbackLimits.maxBodyBytes} bytes`);
};

/** The token `POST /v1/callbacks` answered with: only the requester reads the status. */
const callbackStatusQuerySchema = z.object({ token: z.string().min(20).max(100) });

/** The widget's callback endpoints: options for the form, the request, and the request's status. */
export function publicCallbackRoutes(deps: AppDeps) {
  const { db, limiter } = deps;
  const ipOf = (c: Context) => clientIp(c, deps.config.BECKON_TRUST_PROXY);
  return new Hono<AppEnv>()
    .use(publicCors())
    .get(
      '/sites/:siteKey/callback-options',
      describe({
        tag: 'Callbacks',
        summary: 'What the callback form may offer now',
        description: 'For the widget: “call me now” while an agent is online, else bookable slots.',
        access: 'public',
        params: { siteKey: 'The site key' },
        errors: ['unknown_site', 'origin_not_allowed', 'rate_limited'],
        responses: { 200: callbackOptionsSchema },
      }),
      async (c) => {
        const site = await siteOfKeyParam(db, c.req.param('siteKey'));
        const origin = c.req.header('origin');
        if (origin) requireAllowedOrigin(c, site, origin);
        await limiter.enforce(`callback-options:${site.id}:${ipOf(c)}`, callbackLimits.optionsPerIp);
        c.header('Cache-Control', 'no-store');
        return c.json(await callbackOptions(deps, site));
      },
    )
    .post(
      '/callbacks',
      describe({
        tag: 'Callbacks',
        summary: 'Request a callback',
        description:
          'Sent by the widget and the npm SDK from an allowed origin. The answer’s `token` reads the request’s status later.',
        access: 'public',
        body: callbackRequestSchema,
        errors: ['unknown_site', 'origin_not_allowed', 'rate_limited', 'forbidden', 'conflict', 'unavailable'],
        responses: { 201: callbackCreatedSchema },
      }),
      limitBody({ maxSize: callbackLimits.maxBodyBytes, onError: tooLarge }),
      async (c) => {
        const body = await readJson(c, callbackRequestSchema);
        const site = await findSiteByKey(db, body.site);
        if (!site) throw new AppError('unknown_site', `No site with key "${body.site}"`);
        requireAllowedOrigin(c, site, c.req.header('origin'));
        const settings = site.callbacks;
        if (!settings.enabled) throw new AppError('unavailable', 'Callbacks are switched off for this site');
        rejectAutomated(body, settings.minFormSeconds);
        const ip = ipOf(c);
        await limiter.enforce(
          `callback-ip:${site.id}:${ip}`,
          { limit: settings.limits.perIpPerHour, windowMs: hourMs },
          'Too many callback requests from your network; please try again later.',
        );
        await limiter.enforce(
          `callback-site:${site.id}`,
          { limit: settings.limits.perSitePerHour, windowMs: hourMs },
          'We are receiving too many callback requests right now; please try again later.',
        );
        const phone = validE164(body.phone);
        if (!phone)
          throw new AppError('validation_failed', 'This phone number does not look right', [
            { path: ['phone'], message: 'not a valid phone number' },
          ]);
        if (isBlockedNumber(phone, settings.blockedPrefixes))
          throw new AppError('forbidden', 'We cannot call this number back', { reason: 'blocked_prefix' });
        const now = new Date();
        let at = now;
        if (body.at) {
          at = new Date(body.at);
          const offered = isOfferedSlot(at, {
            hours: site.chat.businessHours,
            slotMinutes: settings.slotMinutes,
            daysAhead: settings.daysAhead,
            now,
          });
          if (!offered)
            throw new AppError('validation_failed', 'Please pick one of the offered times', [
              { path: ['at'], message: 'not an offered slot' },
            ]);
        } else {
          const live = await availability(deps, site, now);
          if (!live.available)
            throw new AppError('conflict', 'Nobody can call right now; please pick a time', { reason: live.reason });
        }
        const created = await createCallback(
          deps,
          site,
          {
            phone,
            name: body.name,
            mode: body.at ? 'scheduled' : 'now',
            at,
            visitorId: body.visitorId,
            pageUrl: body.url,
            language: primaryLanguage(c.req.header('accept-language')),
            timeZone: body.timeZone,
          },
          publicUrlOf(deps, c),
          now,
        );
        return c.json({ callback: await toVisitorCallback(db, created.row), token: created.token }, 201);
      },
    )
    .get(
      '/callbacks/:id',
      describe({
        tag: 'Callbacks',
        summary: 'The status of a callback request',
        access: 'public',
        params: { id: 'Callback id' },
        query: callbackStatusQuerySchema,
        errors: ['rate_limited'],
        responses: { 200: visitorCallbackAnswerSchema },
      }),
      async (c) => {
        await limiter.enforce(`callback-status:${ipOf(c)}`, callbackLimits.statusPerIp);
        const { token } = parse(callbackStatusQuerySchema, c.req.query());
        c.header('Cache-Control', 'no-store');
        return c.json({ callback: await visitorCallback(db, idParam(c, 'id', 'Callback'), token) });
      },
    );
}

/** `/api/sites/:siteId/callbacks`: the queue and the agent's actions, for members of the site. */
export function siteCallbackRoutes(deps: AppDeps) {
  const { db } = deps;
  const site = (c: Context<AppEnv>) => getVisibleSite(db, c.get('agent'), c.req.param('siteId') ?? '');
  return new Hono<AppEnv>()
    .use(requireAgent(deps))
    .get(
      '/',
      describe({
        tag: 'Callbacks',
        summary: 'The callback queue of a site',
        access: 'agent',
        params: { siteId: 'Site id' },
        query: callbackListQuerySchema,
        responses: { 200: callbackListSchema },
      }),
      async (c) => {
        const query = parse(callbackListQuerySchema, c.req.query());
        const found = await site(c);
        return c.json({ callbacks: await listCallbacks(db, found.id, query.status, query.limit) });
      },
    )
    .post(
      '/:id/take',
      describe({
        tag: 'Callbacks',
        summary: 'Take a callback (start calling)',
        access: 'agent',
        params: { siteId: 'Site id', id: 'Callback id' },
        errors: ['conflict'],
        responses: { 200: callbackAnswerSchema },
      }),
      async (c) => {
        const found = await site(c);
        return c.json({
          callback: await takeCallback(deps, found, c.get('agent'), idParam(c, 'id', 'Callback'), publicUrlOf(deps, c)),
        });
      },
    )
    .post(
      '/:id/outcome',
      describe({
        tag: 'Callbacks',
        summary: 'Record how a call went',
        description: '`no_answer` with `retryAt` puts it back in the queue with that deadline.',
        access: 'agent',
        params: { siteId: 'Site id', id: 'Callback id' },
        body: callbackOutcomeSchema,
        errors: ['conflict'],
        responses: { 200: callbackAnswerSchema },
      }),
      limitBody({ maxSize: callbackLimits.maxBodyBytes, onError: tooLarge }),
      async (c) => {
        const found = await site(c);
        const input = await readJson(c, callbackOutcomeSchema);
        return c.json({
          callback: await recordOutcome(
            deps,
            found,
            c.get('agent'),
            idParam(c, 'id', 'Callback'),
            input,
            publicUrlOf(deps, c),
          ),
        });
      },
    );
}
