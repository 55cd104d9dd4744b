import { formsEn, type FormStrings } from './en.js';

export { fill, formsEn, type FormStrings } from './en.js';

const others: Record<string, () => Promise<{ strings: FormStrings }>> = {
  de: () => import('./form-words-de.js'),
  fr: () => import('./form-words-fr.js'),
  es: () => import('./form-words-es.js'),
  ru: () => import('./form-words-ru.js'),
  lv: () => import('./form-words-lv.js'),
  hy: () => import('./form-words-hy.js'),
  uz: () => import('./form-words-uz.js'),
  am: () => import('./form-words-am.js'),
  si: () => import('./form-words-si.js'),
};

/** The forms' words in the site's language (English if that cannot load). */
export async function loadFormStrings(language: string): Promise<FormStrings> {
  const load = others[language];
  if (!load) return formsEn;
  try {
    return (await load()).strings;
  } catch {
    return formsEn;
  }
}
