// Public face of the persons feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export {
  cleanName,
  identifyFromEvents,
  identifyPerson,
  linkBrowser,
  lockIdentities,
  normaliseEmail,
  normalisePhone,
} from './identify.js';
export { markPersonOutcome, markPersonsOutcomes } from './outcome.js';
export { findPersonByContact, getVisiblePerson, toPersonSummary } from './queries.js';
export { personRef, personRefsById, personRefsByLead } from './refs.js';
