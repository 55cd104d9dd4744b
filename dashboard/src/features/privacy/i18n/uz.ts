import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  title: 'Maxfiylik va rozilik',
  description:
    '{site} qanday rozilik soʻraydi, tashrif buyuruvchilar kimligini tasdiqlaydi va ularning maʼlumotlarini saqlaydi yoki oʻchiradi.',
  adminsOnly:
    'Maxfiylik sozlamalarini oʻzgartirish, tashrif buyuruvchi maʼlumotlarini eksport qilish va oʻchirish faqat administratorlarga ruxsat etilgan.',
  fixFields: 'Belgilangan maydonlarni tuzating.',
  promptTitle: 'Sarlavha',
  acceptButton: 'Qabul qilish tugmasi',
  rejectButton: 'Rad etish tugmasi',
  analyticsButton: '“Faqat analitika” tugmasi',
  consentMode: 'Rozilik rejimi',
  honourDnt: 'Do Not Track ni hurmat qilish',
  honourDntHint:
    'Brauzeri DNT yuboradigan tashrif buyuruvchilar rad etgan deb hisoblanadi. Global Privacy Control har doim marketingni oʻchiradi.',
  consentPrompt: 'Rozilik soʻrovi',
  showPrompt: 'Beckon soʻrovini koʻrsatish',
  showPromptHint:
    'Vidjet burchagidagi kichik, qulay panel; faqat “Avval soʻrash” rejimida, tashrif buyuruvchi tanlaguncha koʻrsatiladi. Oʻz banneringiz soʻrasa, oʻchiring.',
  promptText: 'Matn',
  policyLink: 'Maxfiylik siyosati havolasi',
  policyVersion: 'Siyosat versiyasi',
  policyVersionHint:
    'Har bir tanlov bilan yoziladi. Siyosat oʻzgarganda uni oʻzgartiring: tashrif buyuruvchilardan yana soʻraladi.',
  identityRetention: 'Shaxs va saqlash',
  requireIdentity: 'Tasdiqlangan shaxsni talab qilish',
  requireIdentityHint:
    '{identify} chaqiruvlari serveringizdan {userHash} olib kelishi kerak; boshqalari rad etiladi. Anonim chat mumkinligicha qoladi.',
  keepEvents: 'Xulq hodisalarini saqlash muddati',
  keepEventsHint:
    'Eskiroq hodisalar, mavjudlik va issiq belgilar har soatlik vazifa bilan oʻchiriladi. Boʻsh qoldirilsa saqlanadi.',
  days: 'kun',
  savedLoader: 'Saqlandi. Yuklovchi uni bir daqiqa ichida oladi.',
  unsaved: 'Saqlanmagan oʻzgarishlar',
  discard: 'Bekor qilish',
  saving: 'Saqlanmoqda…',
  saveChanges: 'Oʻzgarishlarni saqlash',
  rotateConfirm: 'Sir almashtirilsinmi? Eskisi bilan yaratilgan heshlar darhol ishlamay qoladi.',
  identitySecret: 'Shaxs sirri',
  identitySecretHint:
    'Serveringiz har bir foydalanuvchi id sini imzolaydi: {formula}. Sir hech qachon brauzerga bormaydi.',
  copyNow: 'Hozir nusxa oling: u faqat shu safar koʻrsatiladi.',
  copySecret: 'Sirdan nusxa olish',
  loading: 'Yuklanmoqda…',
  setOn: '{date} da oʻrnatilgan.',
  set: 'Oʻrnatilgan.',
  notGenerated: 'Hali yaratilmagan.',
  rotateSecret: 'Sirni almashtirish',
  generateSecret: 'Sir yaratish',
  personData: 'Shaxs maʼlumotlari',
  personDataHint:
    'Bir shaxs haqida saqlangan hamma narsani eksport qiling (JSON) yoki oʻchiring — u foydalangan har bir brauzerda: hodisalar, tashriflar, baho, rozilik, auditoriyalar, chatlar, qayta qoʻngʻiroqlar, fikrlar va lid. Shaxs sizga bergan email yoki telefondan foydalaning; shaxs sahifasida ham xuddi shu tugmalar bor.',
  erasedRecords: { one: '{count} ta yozuv oʻchirildi.', other: '{count} ta yozuv oʻchirildi.' },
  personField: 'Email, telefon yoki tashrif buyuruvchi id',
  personFieldHint: 'Shaxs sizga bergan email yoki telefon raqami (xalqaro formatda, masalan +44 20 7946 0958).',
  exportJson: 'JSON eksport qilish',
  typeAgain: 'Oʻchirish uchun yana kiriting',
  cannotUndo: 'Oʻchirishni bekor qilib boʻlmaydi.',
  erasePerson: 'Shaxsni oʻchirish',
  audit: 'Jurnal',
  erased: 'Oʻchirildi',
  exported: 'Eksport qilindi',
  removedAgent: 'oʻchirilgan operator',
  modeRequired: 'Avval soʻrash',
  modeRequiredText:
    'Tashrif buyuruvchi rozi boʻlmaguncha hech narsa saqlanmaydi va uzatilmaydi. Unga qadar faqat anonim sahifa hisobi. YeI uchun mos.',
  modeImplied: 'Nazarda tutilgan',
  modeImpliedText:
    'Birinchi sahifadan analitika; marketing (reklama cookieʼlari, piksellar) uchun baribir “ha” kerak. Bunday qonunlar amal qilmaydigan saytlar uchun.',
  modeExternal: 'Oʻz rozilik menejeringiz',
  modeExternalText:
    'Saytdagi Google Consent Mode yoki IAB TCF banneriga yoxud oʻzingizning Beckon("consent", …) chaqiruvlaringizga amal qilish.',
  errPolicyVersion: 'Harflar, raqamlar, “.”, “-” va “_”, 40 tagacha.',
  errRequired: 'Majburiy.',
  errRetention: '1 dan 3650 gacha butun kunlar soni.',
  promptLanguage: 'Rozilik soʻrovi tili',
} satisfies Translation<typeof en>;
