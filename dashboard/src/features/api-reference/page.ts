/**
 * This feature's route entry, loaded on demand by App (`lazyPage(() => import('./features/X/page'), …)`): the page
 * and the RapiDoc renderer inside it load when an admin first opens the reference.
 */
export { ApiReferenceView as ApiReferencePage } from './ApiReferencePage';
