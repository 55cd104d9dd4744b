import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: '{site} saytida {from} dan yangi xabar',
  subjectAnonymous: '{site} saytida tashrif buyuruvchidan yangi xabar',
  intro: '{from} hech bir operator boʻsh boʻlmaganda xabar qoldirdi:',
  introAnonymous: 'Tashrif buyuruvchi hech bir operator boʻsh boʻlmaganda xabar qoldirdi:',
  answer: 'Beckonʼda javob bering: {link}',
} satisfies EmailTranslation<typeof en>;
