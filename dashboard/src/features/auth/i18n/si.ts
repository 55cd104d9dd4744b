import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  signInPageTitle: 'පුරනය වන්න · Beckon',
  signIn: 'පුරනය වන්න',
  signingIn: 'පුරනය වෙමින්…',
  welcome: 'නැවත සාදරයෙන් පිළිගනිමු. ඔබේ අමුත්තන්ට පිළිතුරු දීමට පුරනය වන්න.',
  wrongCredentials: 'එම ඊමේල් සහ මුරපදය කිසිදු ගිණුමකට නොගැළපේ.',
  tooManyAttempts: 'පුරනය වීමේ උත්සාහයන් වැඩියි. නැවත උත්සාහ කිරීමට පෙර කරුණාකර {wait}ක් රැඳී සිටින්න.',
  email: 'ඊමේල්',
  password: 'මුරපදය',
  askForInvite: 'කණ්ඩායමට අලුත්ද? පරිපාලකයෙකුගෙන් ආරාධනා සබැඳියක් ඉල්ලන්න.',
  acceptPageTitle: 'ආරාධනය පිළිගන්න · Beckon',
  inviteIncomplete: 'ආරාධනා සබැඳිය අසම්පූර්ණයි',
  goToSignIn: 'පුරනය වීමට යන්න',
  inviteNoToken: 'මෙම සබැඳියේ ආරාධනා කේතයක් නැත. ඔබේ පරිපාලක එවූ සම්පූර්ණ සබැඳිය විවෘත කරන්න, නැතහොත් නව එකක් ඉල්ලන්න.',
  passwordTooShort: 'අවම වශයෙන් අනුලකුණු {min}ක් භාවිත කරන්න.',
  passwordMismatch: 'මුරපද නොගැළපේ.',
  inviteInvalid: 'මෙම ආරාධනා සබැඳිය වලංගු නැත. ඔබේ පරිපාලකගෙන් නව එකක් ඉල්ලන්න.',
  inviteExpired: 'මෙම ආරාධනා සබැඳිය කල් ඉකුත් වී ඇත, නැතහොත් දැනටමත් භාවිත කර ඇත. ඔබේ පරිපාලකගෙන් නව එකක් ඉල්ලන්න.',
  joinTitle: 'Beckon හි ඔබේ කණ්ඩායමට එක්වන්න',
  joinSubtitle: 'ඔබේ ගිණුම සැකසීම අවසන් කිරීමට මුරපදයක් තෝරන්න.',
  haveAccount: 'දැනටමත් ගිණුමක් තිබේද?',
  passwordHint: 'අවම වශයෙන් අනුලකුණු {min}ක්.',
  confirmPassword: 'මුරපදය තහවුරු කරන්න',
  settingUp: 'සකසමින්…',
  setPassword: 'මුරපදය සකසා ඉදිරියට යන්න',
} satisfies Translation<typeof en>;
