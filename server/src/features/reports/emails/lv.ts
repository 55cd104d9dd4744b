import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subjectDaily: 'Beckon dienas pārskats: {date}',
  subjectWeekly: 'Beckon nedēļas pārskats: {from} – {to}',
  greeting: 'Sveiki, {name}!',
  intro: 'Galvenie skaitļi par {period} visās vietnēs ({sites}).',
  inquiries: 'Pieprasījumi: {count} (iepriekšējā periodā: {previous})',
  missedChats: 'Neatbildētas tērzēšanas: {count} no {chats}',
  firstResponse: 'Pirmās atbildes mediāna tērzēšanā: {value}',
  callbacksOnTime: 'Atzvani laikā: {percent} (nokavēti: {overdue})',
  newLeads: 'Jauni potenciālie klienti: {count}, iegūti: {won}, zaudēti: {lost}',
  nps: 'NPS: {value} ({count} atbildes)',
  none: 'nav datu',
  link: 'Atvērt pārskatus:',
  unsubscribe: 'Jūs saņemat šo e-pastu, jo to izvēlējāties Beckon; izslēdziet to lapā “Pārskati”.',
} satisfies EmailTranslation<typeof en>;
