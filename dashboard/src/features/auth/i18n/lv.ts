import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  signInPageTitle: 'Pieteikšanās · Beckon',
  signIn: 'Pieteikties',
  signingIn: 'Piesakās…',
  welcome: 'Laipni lūdzam atpakaļ! Piesakieties, lai atbildētu apmeklētājiem.',
  wrongCredentials: 'Šis e-pasts un parole neatbilst nevienam kontam.',
  tooManyAttempts: 'Pārāk daudz pieteikšanās mēģinājumu. Lūdzu, uzgaidiet {wait} un mēģiniet vēlreiz.',
  email: 'E-pasts',
  password: 'Parole',
  askForInvite: 'Jauns komandā? Palūdziet administratoram uzaicinājuma saiti.',
  acceptPageTitle: 'Pieņemt uzaicinājumu · Beckon',
  inviteIncomplete: 'Uzaicinājuma saite nav pilnīga',
  goToSignIn: 'Uz pieteikšanos',
  inviteNoToken:
    'Šajā saitē nav uzaicinājuma koda. Atveriet pilno saiti, ko sūtīja administrators, vai palūdziet jaunu.',
  passwordTooShort: 'Izmantojiet vismaz {min} rakstzīmes.',
  passwordMismatch: 'Paroles nesakrīt.',
  inviteInvalid: 'Šī uzaicinājuma saite nav derīga. Palūdziet administratoram jaunu.',
  inviteExpired: 'Šīs uzaicinājuma saites derīgums ir beidzies vai tā jau izmantota. Palūdziet administratoram jaunu.',
  joinTitle: 'Pievienojieties savai komandai Beckon',
  joinSubtitle: 'Izvēlieties paroli, lai pabeigtu konta iestatīšanu.',
  haveAccount: 'Jau ir konts?',
  passwordHint: 'Vismaz {min} rakstzīmes.',
  confirmPassword: 'Apstipriniet paroli',
  settingUp: 'Iestata…',
  setPassword: 'Iestatīt paroli un turpināt',
} satisfies Translation<typeof en>;
