import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: 'በ{site} ላይ ከ{from} አዲስ መልእክት',
  subjectAnonymous: 'በ{site} ላይ ከጎብኚ አዲስ መልእክት',
  intro: 'ምንም ወኪል ባልነበረበት ጊዜ {from} መልእክት ትቷል፦',
  introAnonymous: 'ምንም ወኪል ባልነበረበት ጊዜ አንድ ጎብኚ መልእክት ትቷል፦',
  answer: 'በBeckon ውስጥ ይመልሱ፦ {link}',
} satisfies EmailTranslation<typeof en>;
