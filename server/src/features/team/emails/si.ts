import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: '{inviter} ඔබට Beckon වෙත ආරාධනා කළා',
  greeting: 'ආයුබෝවන් {name},',
  body: '{inviter} ඔබට Beckon හි කතාබස් සහ ආපසු ඇමතුම්වලට පිළිතුරු දීමට ආරාධනා කළා. මෙතැනින් මුරපදයක් තෝරන්න:',
  expires: 'සබැඳිය එක් වරක් පමණක් ක්‍රියා කරන අතර {date} දක්වා වලංගු වේ.',
} satisfies EmailTranslation<typeof en>;
