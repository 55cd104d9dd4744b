// Public face of the collect feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { publicRoutes, siteCollectRoutes } from './routes.js';
export {
  dropExpiredEventPartitions,
  ensureEventPartitions,
  eventPartitionOf,
  listEventPartitions,
  startEventPartitionJob,
} from './partitions.js';
export { derivationsIdle, startDerivationRecovery } from './ingest.js';
