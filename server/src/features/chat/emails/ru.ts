import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: 'Новое сообщение на сайте {site} от {from}',
  subjectAnonymous: 'Новое сообщение на сайте {site} от посетителя',
  intro: '{from} оставил(а) сообщение, когда не было свободных операторов:',
  introAnonymous: 'Посетитель оставил сообщение, когда не было свободных операторов:',
  answer: 'Ответить в Beckon: {link}',
} satisfies EmailTranslation<typeof en>;
