/** Scoring: the rules page and the temperature badge shown on leads, visitors and people. */
// The page (ScoringPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
export { TemperatureBadge } from './TemperatureBadge';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './scoring.css';
