import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  signInPageTitle: 'Kirish · Beckon',
  signIn: 'Kirish',
  signingIn: 'Kirilmoqda…',
  welcome: 'Xush kelibsiz! Tashrif buyuruvchilarga javob berish uchun kiring.',
  wrongCredentials: 'Bu email va parolga mos hisob yoʻq.',
  tooManyAttempts: 'Kirish urinishlari juda koʻp. Iltimos, {wait} kuting va yana urinib koʻring.',
  email: 'Email',
  password: 'Parol',
  askForInvite: 'Jamoada yangimisiz? Administratordan taklif havolasini soʻrang.',
  acceptPageTitle: 'Taklifni qabul qilish · Beckon',
  inviteIncomplete: 'Taklif havolasi toʻliq emas',
  goToSignIn: 'Kirish sahifasiga oʻtish',
  inviteNoToken: 'Bu havolada taklif kodi yoʻq. Administrator yuborgan toʻliq havolani oching yoki yangisini soʻrang.',
  passwordTooShort: 'Kamida {min} ta belgi kiriting.',
  passwordMismatch: 'Parollar mos kelmadi.',
  inviteInvalid: 'Bu taklif havolasi yaroqsiz. Administratordan yangisini soʻrang.',
  inviteExpired:
    'Bu taklif havolasining muddati tugagan yoki u allaqachon ishlatilgan. Administratordan yangisini soʻrang.',
  joinTitle: 'Beckon’dagi jamoangizga qoʻshiling',
  joinSubtitle: 'Hisobingizni sozlashni yakunlash uchun parol tanlang.',
  haveAccount: 'Hisobingiz bormi?',
  passwordHint: 'Kamida {min} ta belgi.',
  confirmPassword: 'Parolni tasdiqlang',
  settingUp: 'Sozlanmoqda…',
  setPassword: 'Parolni oʻrnatish va davom etish',
} satisfies Translation<typeof en>;
