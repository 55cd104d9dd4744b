// Public face of the API reference feature. The page (and RapiDoc inside it) is not here: App loads it lazily from
// ./page.ts, so the dashboard's first load does not grow.
export { ApiReferenceLink } from './link';
