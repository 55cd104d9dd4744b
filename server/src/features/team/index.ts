// Public face of the team feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { inviteRoutes, teamRoutes } from './routes.js';
