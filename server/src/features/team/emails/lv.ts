import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: '{inviter} jūs aicina uz Beckon',
  greeting: 'Sveiki, {name}!',
  body: '{inviter} jūs aicina atbildēt uz tērzēšanām un atzvanīšanām Beckon. Izvēlieties paroli šeit:',
  expires: 'Saite darbojas vienu reizi un ir derīga līdz {date}.',
} satisfies EmailTranslation<typeof en>;
