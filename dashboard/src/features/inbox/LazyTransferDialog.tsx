import { lazyDialog } from '../../components/Dialog';
import { t } from './i18n';

/** The transfer dialog, fetched the first time an agent opens it: not in the first load. */
export const TransferDialog = lazyDialog(
  () => import('./TransferDialog').then((module) => module.TransferDialog),
  () => t('transferConversation'),
);
