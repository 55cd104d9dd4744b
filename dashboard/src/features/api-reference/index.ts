// Public face of the API reference feature. The page module (and RapiDoc inside it) is imported only when the
// page is opened, so the dashboard's first load does not grow.
export { ApiReferenceLink, ApiReferencePage } from './lazy';
