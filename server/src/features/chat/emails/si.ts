import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: '{site} හි {from} වෙතින් නව පණිවිඩයක්',
  subjectAnonymous: '{site} හි අමුත්තෙකුගෙන් නව පණිවිඩයක්',
  intro: 'කිසිදු නියෝජිතයෙකු නොසිටි අතරතුර {from} පණිවිඩයක් තැබුවා:',
  introAnonymous: 'කිසිදු නියෝජිතයෙකු නොසිටි අතරතුර අමුත්තෙක් පණිවිඩයක් තැබුවා:',
  answer: 'Beckon තුළ පිළිතුරු දෙන්න: {link}',
} satisfies EmailTranslation<typeof en>;
