import { visitorEmailTexts } from '../../../lib/i18n.js';
import am from './am.js';
import de from './de.js';
import en from './en.js';
import es from './es.js';
import fr from './fr.js';
import hy from './hy.js';
import lv from './lv.js';
import ru from './ru.js';
import si from './si.js';
import uz from './uz.js';

/** Every widget language's emails to visitors, for the completeness test. */
export const visitorEmailCatalogs = { en, de, fr, es, ru, lv, hy, uz, am, si };
/** `visitorEmailsIn('de')('transcriptSubject', { site })`. */
export const visitorEmailsIn = visitorEmailTexts(visitorEmailCatalogs);
