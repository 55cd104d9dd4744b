/** API keys and the integration endpoints (issue 17): the feature's public face. */
export { apiKeyAuth, idempotent } from './middleware.js';
export { apiKeyRoutes, integrationRoutes } from './routes.js';
export { apiKeysTable, apiKeyAuditTable, idempotencyKeysTable } from './schema.js';
export { routeAccess } from './access.js';
