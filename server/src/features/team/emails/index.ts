import { emailTexts } from '../../../lib/i18n.js';
import am from './am.js';
import en from './en.js';
import hy from './hy.js';
import lv from './lv.js';
import ru from './ru.js';
import si from './si.js';
import uz from './uz.js';

/** Every language's invitation email, for the completeness test. */
export const inviteCatalogs = { en, ru, lv, hy, uz, am, si };
/** `inviteTexts('lv')('subject', { inviter })`. */
export const inviteTexts = emailTexts(inviteCatalogs);
