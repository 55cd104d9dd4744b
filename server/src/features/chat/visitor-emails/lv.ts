import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  replySubject: 'Atbilde uz jūsu ziņu vietnē {site}: {agent}',
  replySignature: '— {agent}, {site}',
  continuesAt: 'Saruna turpinās tērzēšanā: {url}',
  continuesOnSite: 'Saruna turpinās tērzēšanā mūsu vietnē.',
  transcriptSubject: 'Jūsu tērzēšana vietnē {site}',
  transcriptIntro: 'Jūsu saruna vietnē {site}:',
  you: 'Jūs',
} satisfies EmailTranslation<typeof en>;
