// Public face of the consent feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { consentPublicRoutes } from './routes.js';
export { hasGpc } from './service.js';
