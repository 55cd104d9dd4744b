import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subjectDaily: 'Ежедневный отчёт Beckon: {date}',
  subjectWeekly: 'Еженедельный отчёт Beckon: {from} – {to}',
  greeting: 'Здравствуйте, {name}!',
  intro: 'Главные цифры за {period} по сайтам ({sites}).',
  inquiries: 'Обращения: {count} (прошлый период: {previous})',
  missedChats: 'Чаты без ответа: {count} из {chats}',
  firstResponse: 'Медиана первого ответа в чате: {value}',
  callbacksOnTime: 'Обратные звонки вовремя: {percent} (просрочено: {overdue})',
  newLeads: 'Новые лиды: {count}, выиграно: {won}, проиграно: {lost}',
  nps: 'NPS: {value} (ответов: {count})',
  none: 'нет данных',
  link: 'Открыть отчёты:',
  unsubscribe: 'Вы получаете это письмо, потому что включили его в Beckon; отключить можно на странице «Отчёты».',
} satisfies EmailTranslation<typeof en>;
