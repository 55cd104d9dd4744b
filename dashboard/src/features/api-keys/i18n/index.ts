import { translator } from '../../../lib/i18n';
import en from './en';

export const t = translator(en, import.meta.glob(['./*.ts', '!./en.ts', '!./index.ts']));
