import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subjectDaily: 'Beckon දෛනික වාර්තාව: {date}',
  subjectWeekly: 'Beckon සතිපතා වාර්තාව: {from} – {to}',
  greeting: 'ආයුබෝවන් {name},',
  intro: '{period} සඳහා ප්‍රධාන සංඛ්‍යා, අඩවි {sites} ක් පුරා.',
  inquiries: 'විමසීම්: {count} (පෙර කාලය: {previous})',
  missedChats: 'පිළිතුරු නොලැබූ කතාබස්: {chats} න් {count}',
  firstResponse: 'කතාබහේ පළමු පිළිතුරේ මධ්‍යස්ථ කාලය: {value}',
  callbacksOnTime: 'නියමිත වේලාවට ආපසු ඇමතුම්: {percent} (ප්‍රමාද වූ: {overdue})',
  newLeads: 'නව ලීඩ්: {count}, ජයගත්: {won}, අහිමි වූ: {lost}',
  nps: 'NPS: {value} (පිළිතුරු {count})',
  none: 'දත්ත නැත',
  link: 'වාර්තා විවෘත කරන්න:',
  unsubscribe: 'ඔබ Beckon හි මෙය තෝරාගත් නිසා මෙම විද්‍යුත් තැපෑල ලැබේ; වාර්තා පිටුවෙන් එය අක්‍රිය කරන්න.',
} satisfies EmailTranslation<typeof en>;
