import { type ChatStrings, en, type Strings } from './en.js';

export { type ChatStrings, fill, type Strings } from './en.js';

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

/**
 * The chat's words in the site's language (English if that cannot load). English comes without its cards' words
 * (they are in the extras chunk: `en-cards.ts`); another language brings all of its own.
 */
export async function loadStrings(language: string): Promise<ChatStrings> {
  const load = others[language];
  if (!load) return en;
  try {
    return (await load()).strings;
  } catch {
    return en;
  }
}
