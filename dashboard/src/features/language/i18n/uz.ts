import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  label: 'Til',
  hint: 'Boshqaruv paneli siz bilan shu tilda gaplashadi; tashrif buyuruvchilar vidjetni oʻz tilida koʻradi.',
} satisfies Translation<typeof en>;
