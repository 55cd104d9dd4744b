// Public face of the auth feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { noStore, requireAdmin, requireAgent, sameOriginWrites, sessionAgent } from './middleware.js';
export { authRoutes, loginLimits, meRoutes, startSession } from './routes.js';
export { provideVisibleSites, type VisibleSites } from './visible-sites.js';
export { findSession, readCookie, sessionCookie } from './service.js';
