import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: '{inviter}-ը ձեզ հրավիրում է Beckon',
  greeting: 'Բարև, {name},',
  body: '{inviter}-ը ձեզ հրավիրում է Beckon-ում պատասխանել զրույցներին և հետզանգերին։ Ընտրեք գաղտնաբառ այստեղ՝',
  expires: 'Հղումն աշխատում է մեկ անգամ և գործում է մինչև {date}։',
} satisfies EmailTranslation<typeof en>;
