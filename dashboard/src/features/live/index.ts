/** Visitors on the site now (and their invitations), and how a pageview is shown (also in the inbox). */
// The page (VisitorsPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
export { pageHost, pagePath, referrerLabel, visitorHue } from './pageviews';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './live.css';
