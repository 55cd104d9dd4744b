// Public face of the metrics feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export type { Histogram } from './histogram.js';
export { metricsRoutes } from './routes.js';
export { createServerMetrics } from './server-metrics.js';
export type { ServerMetrics } from './server-metrics.js';
