import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  signInPageTitle: 'ግባ · Beckon',
  signIn: 'ግባ',
  signingIn: 'በመግባት ላይ…',
  welcome: 'እንኳን በደህና ተመለስክ። ጎብኚዎችህን ለመመለስ ግባ።',
  wrongCredentials: 'ይህ ኢሜይል እና የይለፍ ቃል ከማንኛውም መለያ ጋር አይዛመዱም።',
  tooManyAttempts: 'በጣም ብዙ የመግቢያ ሙከራዎች። እባክህ {wait} ቆይተህ እንደገና ሞክር።',
  email: 'ኢሜይል',
  password: 'የይለፍ ቃል',
  askForInvite: 'ለቡድኑ አዲስ ነህ? ከአስተዳዳሪ የግብዣ አገናኝ ጠይቅ።',
  acceptPageTitle: 'ግብዣውን ተቀበል · Beckon',
  inviteIncomplete: 'የግብዣ አገናኙ ያልተሟላ ነው',
  goToSignIn: 'ወደ መግቢያ ሂድ',
  inviteNoToken: 'ይህ አገናኝ የግብዣ ኮድ የለውም። አስተዳዳሪህ የላከልህን ሙሉ አገናኝ ክፈት ወይም አዲስ ጠይቅ።',
  passwordTooShort: 'ቢያንስ {min} ቁምፊዎችን ተጠቀም።',
  passwordMismatch: 'የይለፍ ቃሎቹ አይዛመዱም።',
  inviteInvalid: 'ይህ የግብዣ አገናኝ ትክክል አይደለም። ከአስተዳዳሪህ አዲስ ጠይቅ።',
  inviteExpired: 'ይህ የግብዣ አገናኝ ጊዜው አልፎበታል ወይም አስቀድሞ ጥቅም ላይ ውሏል። ከአስተዳዳሪህ አዲስ ጠይቅ።',
  joinTitle: 'በBeckon ቡድንህን ተቀላቀል',
  joinSubtitle: 'የመለያህን ማዋቀር ለመጨረስ የይለፍ ቃል ምረጥ።',
  haveAccount: 'መለያ አለህ?',
  passwordHint: 'ቢያንስ {min} ቁምፊዎች።',
  confirmPassword: 'የይለፍ ቃሉን አረጋግጥ',
  settingUp: 'በማዋቀር ላይ…',
  setPassword: 'የይለፍ ቃል አዘጋጅ እና ቀጥል',
} satisfies Translation<typeof en>;
