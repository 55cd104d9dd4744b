import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  title: 'የAPI ማጣቀሻ',
  description: 'የዚህ አገልጋይ API ሁሉም መንገዶች፦ መለኪያዎች፣ የጥያቄና የምላሽ አካላት፣ ስህተቶች፣ የሚያስፈልገው የAPI ቁልፍ ወሰን እና የwebhook ክስተቶች።',
  keysLink: 'የAPI ቁልፍ ይፍጠሩ',
  documentLink: 'የOpenAPI 3.1 ሰነድ (JSON)',
  loading: 'የAPI ማጣቀሻው በመጫን ላይ ነው',
  loadFailed: 'የAPI ማጣቀሻውን መጫን አልተቻለም፦ {error}',
} satisfies Translation<typeof en>;
