// Public face of the callbacks feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { rejectAutomated } from './anti-abuse.js';
export { publicCallbackRoutes, publicUrlOf, siteCallbackRoutes } from './routes.js';
export { callbackRoutedWork, publishCallback, rerouteCallbacks } from './service.js';
export { startSlaJob } from './sla.js';
export { recordOutcome as recordCallbackOutcome } from './service.js';
