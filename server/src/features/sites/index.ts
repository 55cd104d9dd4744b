// Public face of the sites feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { publicCors, requireAllowedOrigin } from './public-origin.js';
export { siteRoutes } from './routes.js';
export { onSiteCreated, type SiteCreatedListener } from './service.js';
export {
  findSiteByKey,
  forgetCachedSites,
  getVisibleSite,
  listVisibleSites,
  siteIdsOfAgents,
  siteOfKeyParam,
  toPublicConfig,
  toSite,
} from './service.js';
export { localizeConfig, visitorLanguage } from './localize.js';
