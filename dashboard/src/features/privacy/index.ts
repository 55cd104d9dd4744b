/** Privacy: consent mode, retention, the data-subject tools. */
export { PrivacyPage } from './PrivacyPage';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './privacy.css';
