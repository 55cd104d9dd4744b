/** Scoring: the rules page and the temperature badge shown on leads, visitors and people. */
import './scoring.css';
export { ScoringPage } from './ScoringPage';
export { TemperatureBadge } from './TemperatureBadge';
