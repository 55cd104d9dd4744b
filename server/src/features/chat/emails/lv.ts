import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: 'Jauna ziņa vietnē {site} no {from}',
  subjectAnonymous: 'Jauna ziņa vietnē {site} no apmeklētāja',
  intro: '{from} atstāja ziņu, kamēr neviens operators nebija pieejams:',
  introAnonymous: 'Apmeklētājs atstāja ziņu, kamēr neviens operators nebija pieejams:',
  answer: 'Atbildiet Beckon: {link}',
} satisfies EmailTranslation<typeof en>;
