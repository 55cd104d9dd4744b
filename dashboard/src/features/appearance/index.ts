/** Appearance: the widget's colour, position, language and texts, with a live preview. */
import './appearance.css';
export { AppearancePage } from './AppearancePage';
