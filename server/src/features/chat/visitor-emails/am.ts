import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  replySubject: 'ለ{site} ለላኩት መልእክት መልስ፦ {agent}',
  replySignature: '— {agent}, {site}',
  continuesAt: 'ውይይቱ በቻቱ ይቀጥላል፦ {url}',
  continuesOnSite: 'ውይይቱ በድረ-ገጻችን ቻት ይቀጥላል።',
  transcriptSubject: 'በ{site} ያደረጉት ቻት',
  transcriptIntro: 'በ{site} ያደረጉት ውይይት፦',
  you: 'እርስዎ',
} satisfies EmailTranslation<typeof en>;
