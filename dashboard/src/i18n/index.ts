import { translator } from '../lib/i18n';
import en from './en';

/** The app-level texts: the app root (`App.tsx`) and the API client's error sentences (`api/errors.ts`). */
export const t = translator(en, import.meta.glob(['./*.ts', '!./en.ts', '!./index.ts']));
