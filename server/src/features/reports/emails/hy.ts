import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subjectDaily: 'Beckon-ի օրական հաշվետվություն՝ {date}',
  subjectWeekly: 'Beckon-ի շաբաթական հաշվետվություն՝ {from} – {to}',
  greeting: 'Բարև, {name},',
  intro: 'Հիմնական թվերը {period} ժամանակահատվածի համար՝ կայքեր՝ {sites}։',
  inquiries: 'Դիմումներ՝ {count} (նախորդ ժամանակահատված՝ {previous})',
  missedChats: 'Անպատասխան զրույցներ՝ {count}՝ {chats}-ից',
  firstResponse: 'Զրույցում առաջին պատասխանի մեդիանը՝ {value}',
  callbacksOnTime: 'Ժամանակին հետզանգեր՝ {percent} (ուշացած՝ {overdue})',
  newLeads: 'Նոր լիդեր՝ {count}, շահված՝ {won}, կորցրած՝ {lost}',
  nps: 'NPS՝ {value} ({count} պատասխան)',
  none: 'տվյալներ չկան',
  link: 'Բացել հաշվետվությունները՝',
  unsubscribe: 'Դուք ստանում եք այս նամակը, քանի որ ընտրել եք այն Beckon-ում. անջատեք այն «Հաշվետվություններ» էջում։',
} satisfies EmailTranslation<typeof en>;
