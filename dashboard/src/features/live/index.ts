/** Visitors on the site now (and their invitations), and how a pageview is shown (also in the inbox). */
export { VisitorsPage } from './VisitorsPage';
export { pageHost, pagePath, referrerLabel, visitorHue } from './pageviews';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './live.css';
