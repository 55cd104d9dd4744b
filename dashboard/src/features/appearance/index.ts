/** Appearance: the widget's colour, position, language and texts, with a live preview. */
export { AppearancePage } from './AppearancePage';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './appearance.css';
