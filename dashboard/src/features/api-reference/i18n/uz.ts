import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  title: 'API qo‘llanmasi',
  description:
    'Ushbu server API’sining barcha yo‘nalishlari: parametrlar, so‘rov va javob tanalari, xatolar, kerakli API kaliti ruxsati hamda webhook hodisalari.',
  keysLink: 'API kaliti yaratish',
  documentLink: 'OpenAPI 3.1 hujjati (JSON)',
  loading: 'API qo‘llanmasi yuklanmoqda',
  loadFailed: 'API qo‘llanmasini yuklab bo‘lmadi: {error}',
} satisfies Translation<typeof en>;
