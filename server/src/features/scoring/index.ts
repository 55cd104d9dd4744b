// Public face of the scoring feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { copyTemplateScoring } from './site-setup.js';
export { addFacts, applyEvent, globMatches, pathOf, scoreOf } from './engine.js';
export type { EventFacts, SessionAcc, VisitorAcc } from './engine.js';
export {
  createTemperatureRelay,
  emitTemperatureChanges,
  onTemperatureChange,
  onTemperatureChanges,
} from './hooks.js';
export { scoringJobRunner } from './jobs.js';
export { scoringRoutes } from './routes.js';
export { applyOutcomes } from './outcomes.js';
export { recordOutcome, scoresFor, setVisitorOutcome } from './service.js';
export { scoringSettingsFor, scoringSettingsOf } from './settings.js';
