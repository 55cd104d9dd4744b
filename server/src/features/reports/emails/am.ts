import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subjectDaily: 'የBeckon ዕለታዊ ሪፖርት፦ {date}',
  subjectWeekly: 'የBeckon ሳምንታዊ ሪፖርት፦ {from} – {to}',
  greeting: 'ሰላም {name}፣',
  intro: 'ለ{period} ዋና ዋና ቁጥሮች፣ በ{sites} ጣቢያ(ዎች)።',
  inquiries: 'ጥያቄዎች፦ {count} (ያለፈው ጊዜ፦ {previous})',
  missedChats: 'ያልተመለሱ ውይይቶች፦ ከ{chats} ውስጥ {count}',
  firstResponse: 'በውይይት የመጀመሪያ ምላሽ መካከለኛ ጊዜ፦ {value}',
  callbacksOnTime: 'በሰዓቱ የተደረጉ መልሶ ጥሪዎች፦ {percent} ({overdue} ያለፈባቸው)',
  newLeads: 'አዲስ ደንበኞች፦ {count}፣ የተሳኩ፦ {won}፣ የጠፉ፦ {lost}',
  nps: 'NPS፦ {value} ({count} መልሶች)',
  none: 'መረጃ የለም',
  link: 'ሪፖርቶቹን ይክፈቱ፦',
  unsubscribe: 'ይህን ኢሜይል የሚደርስዎት በBeckon ውስጥ ስለመረጡት ነው፤ በሪፖርቶች ገጽ ላይ ያጥፉት።',
} satisfies EmailTranslation<typeof en>;
