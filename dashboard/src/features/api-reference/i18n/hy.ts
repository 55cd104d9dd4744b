import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  title: 'API տեղեկատու',
  description:
    'Այս սերվերի API-ի բոլոր երթուղիները՝ պարամետրերով, հարցումների և պատասխանների մարմիններով, սխալներով, անհրաժեշտ API բանալու թույլտվությամբ և webhook իրադարձություններով։',
  keysLink: 'Ստեղծել API բանալի',
  documentLink: 'OpenAPI 3.1 փաստաթուղթ (JSON)',
  loading: 'API տեղեկատուն բեռնվում է',
  loadFailed: 'Չհաջողվեց բեռնել API տեղեկատուն՝ {error}',
} satisfies Translation<typeof en>;
