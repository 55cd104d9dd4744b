import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  title: 'API rokasgrāmata',
  description:
    'Visi šī servera API maršruti ar parametriem, pieprasījumu un atbilžu saturu, kļūdām, vajadzīgo API atslēgas tvērumu un tīmekļa āķu notikumiem.',
  keysLink: 'Izveidot API atslēgu',
  documentLink: 'OpenAPI 3.1 dokuments (JSON)',
  loading: 'Ielādē API rokasgrāmatu',
  loadFailed: 'Neizdevās ielādēt API rokasgrāmatu: {error}',
} satisfies Translation<typeof en>;
