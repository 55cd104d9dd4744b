import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subjectDaily: 'Beckon kunlik hisoboti: {date}',
  subjectWeekly: 'Beckon haftalik hisoboti: {from} – {to}',
  greeting: 'Salom, {name}!',
  intro: '{period} uchun asosiy raqamlar, saytlar soni: {sites}.',
  inquiries: 'Murojaatlar: {count} (oldingi davr: {previous})',
  missedChats: 'Javobsiz chatlar: {chats} tadan {count} ta',
  firstResponse: 'Chatdagi birinchi javob medianasi: {value}',
  callbacksOnTime: "O'z vaqtida qayta qo'ng'iroqlar: {percent} (kechikkan: {overdue})",
  newLeads: "Yangi lidlar: {count}, yutilgan: {won}, yo'qotilgan: {lost}",
  nps: 'NPS: {value} ({count} ta javob)',
  none: "ma'lumot yo'q",
  link: 'Hisobotlarni ochish:',
  unsubscribe: "Bu xatni Beckon'da tanlaganingiz uchun olyapsiz; uni «Hisobotlar» sahifasida o'chiring.",
} satisfies EmailTranslation<typeof en>;
