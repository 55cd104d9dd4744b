/** Privacy: consent mode, retention, the data-subject tools. */
import './privacy.css';
export { PrivacyPage } from './PrivacyPage';
