/** Scoring: the rules page and the temperature badge shown on leads, visitors and people. */
export { ScoringPage } from './ScoringPage';
export { TemperatureBadge } from './TemperatureBadge';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './scoring.css';
