import { emailTexts } from '../../../lib/i18n.js';
import am from './am.js';
import en from './en.js';
import hy from './hy.js';
import lv from './lv.js';
import ru from './ru.js';
import si from './si.js';
import uz from './uz.js';

/** Every language's digest email, for the completeness test. */
export const digestCatalogs = { en, ru, lv, hy, uz, am, si };
/** `digestTexts('lv')('subjectDaily', { date })`. */
export const digestTexts = emailTexts(digestCatalogs);
