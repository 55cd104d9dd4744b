// Public face of the triggers feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { pushHotToVisitors } from './hot-push.js';
export { hotMarkJoin, markTurnedHot } from './hot-marks.js';
export { triggerRoutes } from './routes.js';
export { publicTriggers } from './service.js';
