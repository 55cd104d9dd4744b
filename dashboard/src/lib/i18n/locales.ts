/**
 * The dashboard's languages. English is the source catalogue; every other language must have every key
 * (the completeness test in `catalog.test.ts` fails otherwise).
 */
import { dashboardLanguages, type DashboardLanguage } from '@beckon/sdk/protocol/constants';

/** The list lives in the wire contract: the server validates an agent's saved language against it. */
export const dashboardLocales = dashboardLanguages;
export type DashboardLocale = DashboardLanguage;

/** Each language named in itself, as the language menu shows it. */
export const localeNames: Record<DashboardLocale, string> = {
  en: 'English',
  ru: 'Русский',
  lv: 'Latviešu',
  hy: 'Հայերեն',
  uz: 'Oʻzbekcha',
  am: 'አማርኛ',
  si: 'සිංහල',
};

export function isDashboardLocale(value: unknown): value is DashboardLocale {
  return typeof value === 'string' && (dashboardLocales as readonly string[]).includes(value);
}

/**
 * The best supported language for a browser's preference list (`navigator.languages`): an exact
 * match on the base language wins in preference order (`lv-LV` → lv, `uz-Latn-UZ` → uz); no match → en.
 */
export function pickLocale(preferred: readonly string[]): DashboardLocale {
  for (const tag of preferred) {
    const base = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isDashboardLocale(base)) return base;
  }
  return 'en';
}
