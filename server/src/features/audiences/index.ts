// Public face of the audiences feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { evaluateAudiences } from './evaluate.js';
export { conversionWebhooks, emitAudienceEntries } from './hooks.js';
export { audienceRoutes } from './routes.js';
