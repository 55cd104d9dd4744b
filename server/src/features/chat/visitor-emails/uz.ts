import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  replySubject: '{site} saytidagi xabaringizga javob: {agent}',
  replySignature: '— {agent}, {site}',
  continuesAt: 'Suhbat chatda davom etadi: {url}',
  continuesOnSite: 'Suhbat saytimizdagi chatda davom etadi.',
  transcriptSubject: '{site} saytidagi chatingiz',
  transcriptIntro: '{site} saytidagi suhbatingiz:',
  you: 'Siz',
} satisfies EmailTranslation<typeof en>;
