import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  label: 'ቋንቋ',
  hint: 'ዳሽቦርዱ በዚህ ቋንቋ ያናግርዎታል፤ ጎብኚዎች ግን ዊጀቱን በራሳቸው ቋንቋ ያያሉ።',
} satisfies Translation<typeof en>;
