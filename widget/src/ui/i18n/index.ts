import { en, type Strings } from './en.js';

export { fill, type Strings } from './en.js';

const others: Record<string, () => Promise<{ strings: Strings }>> = {
  de: () => import('./de.js'),
  fr: () => import('./fr.js'),
  es: () => import('./es.js'),
  ru: () => import('./ru.js'),
  lv: () => import('./lv.js'),
  hy: () => import('./hy.js'),
  uz: () => import('./uz.js'),
  am: () => import('./am.js'),
  si: () => import('./si.js'),
};

/** The chat's words in the site's language (English if that cannot load). */
export async function loadStrings(language: string): Promise<Strings> {
  const load = others[language];
  if (!load) return en;
  try {
    return (await load()).strings;
  } catch {
    return en;
  }
}
