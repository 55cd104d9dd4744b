import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  replySubject: '{agent} hat auf Ihre Nachricht an {site} geantwortet',
  replySignature: '— {agent}, {site}',
  continuesAt: 'Ihr Gespräch geht im Chat weiter: {url}',
  continuesOnSite: 'Ihr Gespräch geht im Chat auf unserer Website weiter.',
  transcriptSubject: 'Ihr Chat mit {site}',
  transcriptIntro: 'Ihr Gespräch mit {site}:',
  you: 'Sie',
} satisfies EmailTranslation<typeof en>;
