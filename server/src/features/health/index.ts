// Public face of the health feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { healthRoutes } from './routes.js';
