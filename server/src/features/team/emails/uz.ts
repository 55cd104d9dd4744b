import type { EmailTranslation } from '../../../lib/i18n.js';
import type en from './en.js';

export default {
  subject: '{inviter} sizni Beckonʼga taklif qildi',
  greeting: 'Salom, {name}!',
  body: '{inviter} sizni Beckonʼda chatlar va qayta qoʻngʻiroqlarga javob berishga taklif qildi. Parolni shu yerda tanlang:',
  expires: 'Havola bir marta ishlaydi va {date} gacha amal qiladi.',
} satisfies EmailTranslation<typeof en>;
