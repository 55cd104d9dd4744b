import { Hono } from 'hono';
import { limitBody } from './lib/body-limit.js';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps, AppEnv } from './app-env.js';
import { assetRoutes } from './features/assets/routes.js';
import { authRoutes, meRoutes } from './features/auth/routes.js';
import { noStore, sameOriginWrites } from './features/auth/middleware.js';
import { publicCallbackRoutes, siteCallbackRoutes } from './features/callbacks/routes.js';
import { conversationRoutes, siteChatRoutes } from './features/chat/routes.js';
import { audienceRoutes } from './features/audiences/routes.js';
import { installHealthRoutes, publicRoutes } from './features/collect/routes.js';
import { publicFeedbackRoutes, siteFeedbackRoutes } from './features/feedback/routes.js';
import { consentPublicRoutes } from './features/consent/routes.js';
import { privacyRoutes } from './features/privacy/routes.js';
import { healthRoutes } from './features/health/routes.js';
import { routingRoutes } from './features/routing/routes.js';
import { scoringRoutes } from './features/scoring/routes.js';
import { siteRoutes } from './features/sites/routes.js';
import { inviteRoutes, teamRoutes } from './features/team/routes.js';
import { visitorRoutes } from './features/visitors/routes.js';
import { leadRoutes } from './features/leads/routes.js';
import { webhookRoutes } from './features/webhooks/routes.js';
import { triggerRoutes } from './features/triggers/routes.js';
import { metricsRoutes } from './features/metrics/routes.js';
import { invitationRoutes, publicInvitationRoutes } from './features/invitations/routes.js';
import { clientIp, hashIp } from './lib/client-ip.js';
import { personRoutes } from './features/persons/routes.js';
import { apiKeyAuth, apiKeyRoutes, integrationRoutes } from './features/api-keys/index.js';
import { AppError, errorBody, handleError } from './lib/errors.js';

export type { AppDeps } from './app-env.js';

/** Default cap for any request body; the widget endpoints set tighter ones. */
export const maxBodyBytes = 256 * 1024;

const dashboardCsp = {
  defaultSrc: ["'self'"],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  imgSrc: ["'self'", 'data:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  scriptSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.onError(handleError(deps.logger));
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));

  app.use(async function requestLog(c, next) {
    const started = performance.now();
    await deps.ready;
    c.set('ipHash', hashIp(clientIp(c, deps.config.BECKON_TRUST_PROXY)));
    await next();
    // Paths only, never query strings: invite tokens and visitor data travel there.
    deps.logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ip: c.get('ipHash'),
    });
  });
  app.use(
    limitBody({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new AppError('payload_too_large', `Request bodies are at most ${maxBodyBytes} bytes`);
      },
    }),
  );
  app.use('/api/*', secureHeaders({ contentSecurityPolicy: dashboardCsp }), noStore(), sameOriginWrites(deps), apiKeyAuth(deps));
  app.use('/app/*', secureHeaders({ contentSecurityPolicy: dashboardCsp }));
  app.use('/demo/*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use('/v1/*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use('/healthz', secureHeaders());

  app.route('/', healthRoutes(deps));
  app.route('/v1', publicRoutes(deps));
  app.route('/v1', publicCallbackRoutes(deps));
  app.route('/v1', publicFeedbackRoutes(deps));
  app.route('/v1', consentPublicRoutes(deps));
  app.route('/v1', publicInvitationRoutes(deps));
  app.route('/api/auth', authRoutes(deps));
  app.route('/api/me', meRoutes(deps));
  app.route('/api/sites', siteRoutes(deps));
  app.route('/api/sites', siteChatRoutes(deps));
  app.route('/api/sites', scoringRoutes(deps));
  app.route('/api/sites', routingRoutes(deps));
  app.route('/api/sites', visitorRoutes(deps));
  app.route('/api/sites', installHealthRoutes(deps));
  app.route('/api/sites', integrationRoutes(deps));
  app.route('/api/sites/:siteId/callbacks', siteCallbackRoutes(deps));
  app.route('/api/sites/:siteId/feedback', siteFeedbackRoutes(deps));
  app.route('/api/sites', audienceRoutes(deps));
  app.route('/api/sites', privacyRoutes(deps));
  app.route('/api/conversations', conversationRoutes(deps));
  app.route('/api/leads', leadRoutes(deps));
  app.route('/api/persons', personRoutes(deps));
  app.route('/api/sites', webhookRoutes(deps));
  app.route('/api/sites', triggerRoutes(deps));
  app.route('/api/sites', invitationRoutes(deps));
  app.route('/api/api-keys', apiKeyRoutes(deps));
  app.route('/api/agents', teamRoutes(deps));
  app.route('/api/invites', inviteRoutes(deps));
  app.route('/api/metrics', metricsRoutes(deps));
  app.route('/', assetRoutes(deps));
  return app;
}

export type AppType = ReturnType<typeof createApp>;
