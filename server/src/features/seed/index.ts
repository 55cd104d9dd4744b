// Public face of the seed feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { seed } from './seed.js';
export type { SeedResult } from './seed.js';
