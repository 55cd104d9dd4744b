import type { Translation } from '../../../lib/i18n';
import type en from './en';

export default {
  label: 'Valoda',
  hint: 'Šajā valodā ar jums runā panelis; apmeklētāji logrīku redz savā valodā.',
} satisfies Translation<typeof en>;
