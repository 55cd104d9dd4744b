/**
 * This feature's route entry, loaded on demand by App (`lazyPage(() => import('./features/X/page'), …)`): only the
 * page, so that a face other features import statically does not pull the page into the first load.
 */
export { FeedbackPage } from './FeedbackPage';
