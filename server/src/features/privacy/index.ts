// Public face of the privacy feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { DailySalt, anonymousVisitorId } from './anonymous.js';
export { setVisitCountry } from './country.js';
export { startPrivacyJobs } from './jobs.js';
export { privacyRoutes, viaOf } from './routes.js';
export { auditExport, eraseVisitor, exportVisitor } from './service.js';
