import { emailTexts } from '../../../lib/i18n.js';
import am from './am.js';
import en from './en.js';
import hy from './hy.js';
import lv from './lv.js';
import ru from './ru.js';
import si from './si.js';
import uz from './uz.js';

/** Every language's offline-message notice, for the completeness test. */
export const offlineNoticeCatalogs = { en, ru, lv, hy, uz, am, si };
/** `offlineNoticeTexts('lv')('subject', { site, from })`. */
export const offlineNoticeTexts = emailTexts(offlineNoticeCatalogs);
