// Public face of the visitors feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { applyNewEvents, loadDerivationState, visitorKeysOf } from './derive.js';
export type { DerivedChanges, NewEvent, ReadAlongside, VisitorKey } from './derive.js';
export { visitorRoutes } from './routes.js';
export { liveVisitorsById } from './service.js';
export { announceSignal, recordSignal, storeSignal, type Signal } from './signals.js';
