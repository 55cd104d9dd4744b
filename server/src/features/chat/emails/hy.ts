import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: 'Նոր հաղորդագրություն {site} կայքում՝ {from}-ից',
  subjectAnonymous: 'Նոր հաղորդագրություն {site} կայքում այցելուից',
  intro: '{from}-ը հաղորդագրություն է թողել, երբ ոչ մի օպերատոր հասանելի չէր՝',
  introAnonymous: 'Այցելուն հաղորդագրություն է թողել, երբ ոչ մի օպերատոր հասանելի չէր՝',
  answer: 'Պատասխանեք Beckon-ում՝ {link}',
} satisfies EmailTranslation<typeof en>;
