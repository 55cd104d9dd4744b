// Public face of the person-page feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".
// The person page (`/api/persons/:id`) gathers what other features know about one person, so it sits above them:
// persons (who someone is), leads, scoring and privacy.

export { personRoutes } from './routes.js';
