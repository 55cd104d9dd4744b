import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  replySubject: '{agent} ответил(а) на ваше сообщение на сайте {site}',
  replySignature: '— {agent}, {site}',
  continuesAt: 'Разговор продолжается в чате на странице {url}',
  continuesOnSite: 'Разговор продолжается в чате на нашем сайте.',
  transcriptSubject: 'Ваш чат на сайте {site}',
  transcriptIntro: 'Ваш разговор на сайте {site}:',
  you: 'Вы',
} satisfies EmailTranslation<typeof en>;
