// Public face of the leads feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { csvCell, csvRow } from './csv.js';
export { leadRoutes } from './routes.js';
export { followTemperatureChanges, labelVisitorsOfLead } from './scoring-link.js';
export { announceLead, publishLead, recordLeadTouch, summariseLeads, updateLead } from './service.js';
export { setPersonOutcome } from './person-outcome.js';
