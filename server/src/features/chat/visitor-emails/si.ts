import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  replySubject: '{site} වෙත ඔබ එවූ පණිවිඩයට පිළිතුර: {agent}',
  replySignature: '— {agent}, {site}',
  continuesAt: 'සංවාදය චැට් එකේ දිගටම: {url}',
  continuesOnSite: 'සංවාදය අපගේ වෙබ් අඩවියේ චැට් එකේ දිගටම පවතී.',
  transcriptSubject: '{site} සමඟ ඔබගේ චැට් එක',
  transcriptIntro: '{site} සමඟ ඔබගේ සංවාදය:',
  you: 'ඔබ',
} satisfies EmailTranslation<typeof en>;
