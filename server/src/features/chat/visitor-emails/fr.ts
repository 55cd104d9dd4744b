import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  replySubject: '{agent} a répondu à votre message à {site}',
  replySignature: '— {agent}, {site}',
  continuesAt: 'Votre conversation se poursuit dans le chat sur {url}',
  continuesOnSite: 'Votre conversation se poursuit dans le chat sur notre site.',
  transcriptSubject: 'Votre chat avec {site}',
  transcriptIntro: 'Votre conversation avec {site} :',
  you: 'Vous',
} satisfies EmailTranslation<typeof en>;
