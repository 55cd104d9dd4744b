import { lazyDialog } from '../../components/Dialog';
import { t } from './i18n';

/** The "New site" dialog, fetched the first time an admin opens it: not in the first load. */
export const CreateSiteDialog = lazyDialog(
  () => import('./CreateSiteDialog').then((module) => module.CreateSiteDialog),
  () => t('newSite'),
);
