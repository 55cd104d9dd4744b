import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: '{inviter} ወደ Beckon ጋብዞዎታል',
  greeting: 'ሰላም {name}፣',
  body: '{inviter} በBeckon ውስጥ ውይይቶችንና መልሶ መደወሎችን እንዲመልሱ ጋብዞዎታል። የይለፍ ቃል እዚህ ይምረጡ፦',
  expires: 'አገናኙ አንድ ጊዜ ብቻ ይሠራል፤ እስከ {date} ያገለግላል።',
} satisfies EmailTranslation<typeof en>;
