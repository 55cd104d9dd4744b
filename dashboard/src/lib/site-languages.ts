import type { WidgetLanguage } from '@beckon/sdk/protocol';

/**
 * The widget's languages as the dashboard's editors offer them for a site's own texts, each named in
 * itself (as its speakers look for it in a list, whatever the dashboard's language).
 */
export const languageNames: Record<WidgetLanguage, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  ru: 'Русский',
  lv: 'Latviešu',
  hy: 'Հայերեն',
  uz: 'Oʻzbekcha',
  am: 'አማርኛ',
  si: 'සිංහල',
};
export const siteLanguages = Object.keys(languageNames) as WidgetLanguage[];

/**
 * A group of site texts in other languages (`feedback.translations`, `chat.translations`, …): per
 * language, each text optional; a missing one falls back to the default text.
 */
export type Translations<K extends string> = Partial<Record<WidgetLanguage, Partial<Record<K, string>>>>;

/** `translations` with `language`'s `key` set to `value` (kept as typed; cleaned on save). */
export function withTranslation<K extends string>(
  translations: Translations<K> | undefined,
  language: WidgetLanguage,
  key: K,
  value: string,
): Translations<K> {
  return { ...translations, [language]: { ...translations?.[language], [key]: value } };
}

/** Whether `language` has any text of its own. */
export function isTranslated(translations: Translations<string> | undefined, language: WidgetLanguage): boolean {
  return Object.values(translations?.[language] ?? {}).some((value) => typeof value === 'string' && value.trim());
}

/**
 * What to save: texts trimmed, empty ones dropped (empty means "use the default"), languages with no
 * text left out, and nothing for the default language (its texts are the defaults themselves).
 */
export function cleanTranslations<K extends string>(
  translations: Translations<K> | undefined,
  keys: readonly K[],
  defaultLanguage: WidgetLanguage,
): Translations<K> {
  const clean: Translations<K> = {};
  for (const language of siteLanguages) {
    if (language === defaultLanguage) continue;
    const entries = keys
      .map((key) => [key, (translations?.[language]?.[key] ?? '').trim()] as const)
      .filter(([, value]) => value);
    if (entries.length) clean[language] = Object.fromEntries(entries) as Partial<Record<K, string>>;
  }
  return clean;
}

/** The same translated texts (key by key: the server's JSON keeps no key order), empty ones as absent. */
export function sameTranslations<K extends string>(
  a: Translations<K> | undefined,
  b: Translations<K> | undefined,
  keys: readonly K[],
): boolean {
  return siteLanguages.every((language) =>
    keys.every((key) => (a?.[language]?.[key] ?? '').trim() === (b?.[language]?.[key] ?? '').trim()),
  );
}

/** The first language a field error names (`chat.translations.lv.greeting` → lv), to show its tab. */
export function languageWithError(errors: Record<string, string>, prefix: string): WidgetLanguage | undefined {
  for (const path of Object.keys(errors)) {
    const language = path.startsWith(`${prefix}translations.`) ? path.slice(prefix.length).split('.')[1] : undefined;
    if (language && (siteLanguages as string[]).includes(language)) return language as WidgetLanguage;
  }
  return undefined;
}
