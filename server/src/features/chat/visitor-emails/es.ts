import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  replySubject: '{agent} ha respondido a tu mensaje a {site}',
  replySignature: '— {agent}, {site}',
  continuesAt: 'Tu conversación continúa en el chat de {url}',
  continuesOnSite: 'Tu conversación continúa en el chat de nuestro sitio web.',
  transcriptSubject: 'Tu chat con {site}',
  transcriptIntro: 'Tu conversación con {site}:',
  you: 'Tú',
} satisfies EmailTranslation<typeof en>;
