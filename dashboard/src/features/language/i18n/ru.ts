import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  label: 'Язык',
  hint: 'На этом языке с вами говорит панель; посетители видят виджет на своём языке.',
} satisfies Translation<typeof en>;
