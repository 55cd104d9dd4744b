/** Sites: creating one, the empty and not-found states, the site list, per-site setting drafts, the origins editor. */
export { CreateSiteDialog } from './LazyCreateSiteDialog';
export { NoSites, SiteNotFound } from './NoSites';
export { OriginsEditor, useOriginDraft } from './OriginsEditor';
export { originErrors, sameOrigins } from './origins';
export { sameJson, useSettingsDraft } from './settings-draft';
export { useSiteList } from './site-list';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './sites.css';
