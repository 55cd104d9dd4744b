// Public face of the reports feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries" and "Reports".

export { reportRoutes } from './routes.js';
export { startReportJobs } from './jobs.js';
export {
  catchUpSite,
  rebuildRollups,
  rebuildSiteRollups,
  recomputeHoursAndMonths,
  rollupSources,
} from './refresh.js';
