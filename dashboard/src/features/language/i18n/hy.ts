import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  label: 'Լեզու',
  hint: 'Վահանակը ձեզ հետ խոսում է այս լեզվով, իսկ այցելուները վիջեթը տեսնում են իրենց լեզվով։',
} satisfies Translation<typeof en>;
