import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  signInPageTitle: 'Вход · Beckon',
  signIn: 'Войти',
  signingIn: 'Вход…',
  welcome: 'С возвращением! Войдите, чтобы отвечать посетителям.',
  wrongCredentials: 'Нет аккаунта с таким адресом и паролем.',
  tooManyAttempts: 'Слишком много попыток входа. Подождите {wait} и попробуйте снова.',
  email: 'Эл. почта',
  password: 'Пароль',
  askForInvite: 'Впервые в команде? Попросите у администратора ссылку-приглашение.',
  acceptPageTitle: 'Принять приглашение · Beckon',
  inviteIncomplete: 'Ссылка-приглашение неполная',
  goToSignIn: 'Перейти ко входу',
  inviteNoToken: 'В этой ссылке нет кода приглашения. Откройте полную ссылку от администратора или попросите новую.',
  passwordTooShort: 'Не менее {min} символов.',
  passwordMismatch: 'Пароли не совпадают.',
  inviteInvalid: 'Ссылка-приглашение недействительна. Попросите у администратора новую.',
  inviteExpired: 'Срок действия ссылки истёк или она уже использована. Попросите у администратора новую.',
  joinTitle: 'Присоединяйтесь к команде в Beckon',
  joinSubtitle: 'Придумайте пароль, чтобы завершить настройку аккаунта.',
  haveAccount: 'Уже есть аккаунт?',
  passwordHint: 'Не менее {min} символов.',
  confirmPassword: 'Повторите пароль',
  settingUp: 'Настройка…',
  setPassword: 'Задать пароль и продолжить',
} satisfies Translation<typeof en>;
