import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: '{inviter} приглашает вас в Beckon',
  greeting: 'Здравствуйте, {name}!',
  body: '{inviter} приглашает вас отвечать на чаты и обратные звонки в Beckon. Задайте пароль по ссылке:',
  expires: 'Ссылка работает один раз и действует до {date}.',
} satisfies EmailTranslation<typeof en>;
