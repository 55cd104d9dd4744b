/**
 * This feature's route entry, loaded on demand by App (`lazyPage(() => import('./features/X/page'), …)`): only the
 * page, so that a face other features import statically does not pull the page into the first load.
 */
export { LeadPage } from './LeadPage';
export { LeadsPage } from './LeadsPage';
// The page's styles travel with its chunk (the face imports them too, for what other features use).
import './leads.css';
