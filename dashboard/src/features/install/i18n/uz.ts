import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  title: 'Oʻrnatish',
  description: 'Beckonʼni {site} saytiga qoʻshing: bitta script tegi, yigʻish shart emas.',
  addSnippet: 'Kodni qoʻshing',
  addSnippetHint:
    'Uni har bir sahifaning HTML kodiga {tag} dan oldin joylang yoki teg menejerida maxsus HTML teg sifatida qoʻshing.',
  copySnippet: 'Koddan nusxa olish',
  queueSummary: 'Ixtiyoriy: skript yuklanishidan oldin Beckonʼni chaqirish',
  queueHint:
    'Agar sahifangiz {identify} yoki {track} ni erta chaqirsa, bu qatorni kod ustiga qoʻshing. Chaqiruvlar navbatga qoʻyiladi va vidjet tayyor boʻlishi bilan bajariladi.',
  checkWorks: 'Ishlashini tekshiring',
  checkWorksHint:
    'Kod oʻrnatilgan sahifani oching: burchakda tugma paydo boʻladi, tashrif esa bir soniyada “Tashrif buyuruvchilar” sahifasida koʻrinadi.',
  tryDemo: 'Demo doʻkonda sinab koʻrish',
  siteDetails: 'Sayt maʼlumotlari',
  siteKey: 'Sayt kaliti',
  template: 'Shablon',
  templateB2b: 'B2B / xizmatlar',
  templateShop: 'Onlayn doʻkon',
  created: 'Yaratilgan',
  allowWebsite: 'Saytingizga ruxsat bering',
  allowWebsiteHint:
    'Vidjet faqat shu manbalarda ishlaydi; boshqa joydan soʻrovlar rad etiladi. Kod oʻrnatilgan har bir domenni, jumladan test muhitini qoʻshing.',
  saved: 'Saqlandi.',
  unsaved: 'Saqlanmagan oʻzgarishlar',
  discard: 'Bekor qilish',
  saving: 'Saqlanmoqda…',
  saveOrigins: 'Manbalarni saqlash',
  adminsOnly: 'Ruxsat etilgan manbalarni faqat administratorlar oʻzgartira oladi.',
  addFailed: '{origin} qoʻshilmadi: {error}',
  healthTitle: 'Rad etilgan va tashlab yuborilgan (soʻnggi 24 soat)',
  loading: 'Yuklanmoqda…',
  noneRefused: 'Hech bir soʻrov rad etilmadi: vidjet ishlagan har bir sahifaga ruxsat berilgan.',
  refusedOrigins: 'Rad etilgan manbalar',
  refused: {
    one: 'Soʻnggi 24 soatda {origin} dan {count} ta soʻrov rad etildi (oxirgisi {latest})',
    other: 'Soʻnggi 24 soatda {origin} dan {count} ta soʻrov rad etildi (oxirgisi {latest})',
  },
  addIt: ' — qoʻshilsinmi?',
  adding: 'Qoʻshilmoqda…',
  allow: 'Ruxsat berish',
  askAdmin: 'Uni ruxsat etilgan manbalarga qoʻshishni administratordan soʻrang.',
  noBots: 'Bot sifatida hech qanday hodisa tashlab yuborilmadi.',
  bots: {
    one: 'Soʻnggi 24 soatda {requests}dagi {count} ta hodisa bot sifatida tashlab yuborildi (oxirgisi {latest}).',
    other: 'Soʻnggi 24 soatda {requests}dagi {count} ta hodisa bot sifatida tashlab yuborildi (oxirgisi {latest}).',
  },
  requests: { one: '{count} ta soʻrov', other: '{count} ta soʻrov' },
  botsHint:
    'Qidiruv robotlari, havola koʻrinishlari va avtomatlashtirilgan brauzerlar (headless Chrome, Playwright, Puppeteer, Lighthouse) user agent orqali aniqlanadi va saqlanmaydi, shuning uchun ular “Tashrif buyuruvchilar”da koʻrinmaydi va baholarni buzmaydi. Oʻrnatishni oddiy brauzer oynasida tekshiring.',
} satisfies Translation<typeof en>;
