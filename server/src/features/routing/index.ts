// Public face of the routing feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { primaryLanguage, routeRound } from './engine.js';
export { followTemperatureForRouting, startUnansweredJob } from './jobs.js';
export type { RoutedWork, RoutingDeps } from './jobs.js';
export { onlineAgents, routingRound } from './round.js';
export type { RoundOptions, RoutingCandidate, RoutingPort } from './round.js';
export { routingRoutes } from './routes.js';
export { factsFor, loadRouting, roundState, trackerFacts } from './service.js';
