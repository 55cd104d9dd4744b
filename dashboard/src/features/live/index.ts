/** Visitors on the site now (and their invitations), and how a pageview is shown (also in the inbox). */
import './live.css';
export { VisitorsPage } from './VisitorsPage';
export { pageHost, pagePath, referrerLabel, visitorHue } from './pageviews';
