import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  signInPageTitle: 'Մուտք · Beckon',
  signIn: 'Մուտք գործել',
  signingIn: 'Մուտք…',
  welcome: 'Բարի վերադարձ։ Մուտք գործեք՝ այցելուներին պատասխանելու համար։',
  wrongCredentials: 'Այս էլ. փոստն ու գաղտնաբառը չեն համապատասխանում որևէ հաշվի։',
  tooManyAttempts: 'Մուտքի չափազանց շատ փորձեր։ Խնդրում ենք սպասել {wait} և նորից փորձել։',
  email: 'Էլ. փոստ',
  password: 'Գաղտնաբառ',
  askForInvite: 'Նո՞ր եք թիմում։ Ադմինիստրատորից խնդրեք հրավերի հղում։',
  acceptPageTitle: 'Ընդունել հրավերը · Beckon',
  inviteIncomplete: 'Հրավերի հղումը թերի է',
  goToSignIn: 'Անցնել մուտքին',
  inviteNoToken: 'Այս հղումը հրավերի կոդ չունի։ Բացեք ադմինիստրատորի ուղարկած ամբողջական հղումը կամ խնդրեք նորը։',
  passwordTooShort: 'Օգտագործեք առնվազն {min} նիշ։',
  passwordMismatch: 'Գաղտնաբառերը չեն համընկնում։',
  inviteInvalid: 'Այս հրավերի հղումն անվավեր է։ Ադմինիստրատորից խնդրեք նորը։',
  inviteExpired: 'Այս հրավերի հղման ժամկետն անցել է կամ այն արդեն օգտագործվել է։ Ադմինիստրատորից խնդրեք նորը։',
  joinTitle: 'Միացեք ձեր թիմին Beckon-ում',
  joinSubtitle: 'Ընտրեք գաղտնաբառ՝ հաշվի կարգավորումն ավարտելու համար։',
  haveAccount: 'Արդեն հաշիվ ունե՞ք։',
  passwordHint: 'Առնվազն {min} նիշ։',
  confirmPassword: 'Հաստատեք գաղտնաբառը',
  settingUp: 'Կարգավորում…',
  setPassword: 'Սահմանել գաղտնաբառը և շարունակել',
} satisfies Translation<typeof en>;
