import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  replySubject: 'Պատասխան {site} կայքին ուղարկած ձեր հաղորդագրությանը՝ {agent}',
  replySignature: '— {agent}, {site}',
  continuesAt: 'Զրույցը շարունակվում է այստեղ՝ {url}',
  continuesOnSite: 'Զրույցը շարունակվում է մեր կայքի չաթում։',
  transcriptSubject: 'Ձեր զրույցը {site} կայքում',
  transcriptIntro: 'Ձեր զրույցը {site} կայքում՝',
  you: 'Դուք',
} satisfies EmailTranslation<typeof en>;
