import { useEffect, useState } from 'preact/hooks';
import { isDashboardLocale, pickLocale, type DashboardLocale } from './locales';
import { formatMessage, type Catalog, type Params } from './translate';

export { dashboardLocales, localeNames, pickLocale, isDashboardLocale, type DashboardLocale } from './locales';
export type { Catalog, Translation, PluralMessage, Params } from './translate';

/**
 * The dashboard's translation layer. A catalogue folder (`features/X/i18n/`, `components/i18n/`…) holds
 * `en.ts` and a file per language, and an `index.ts` that makes its translator:
 *
 * ```ts
 * import en from './en';
 * export const t = translator(en, import.meta.glob(['./*.ts', '!./en.ts', '!./index.ts']));
 * ```
 *
 * English is bundled; another language's files are fetched only when that language is chosen
 * (`setLocale`), so English users download no translations. Components call `t('key', { count })`;
 * the app re-renders from its root on a language change (`useLocale`).
 */

type Loader = () => Promise<unknown>;

interface Registered {
  english: Catalog;
  loaders: Map<DashboardLocale, Loader>;
  loaded: Map<DashboardLocale, Catalog>;
}

const registry: Registered[] = [];
let current: DashboardLocale = 'en';
const listeners = new Set<(locale: DashboardLocale) => void>();

/** `./ru.ts` → ru. */
function localeOfPath(path: string): DashboardLocale | null {
  const name = path.split('/').pop()?.replace(/\.ts$/, '');
  return isDashboardLocale(name) ? name : null;
}

async function load(entry: Registered, locale: DashboardLocale): Promise<void> {
  if (locale === 'en' || entry.loaded.has(locale)) return;
  const loader = entry.loaders.get(locale);
  if (!loader) return;
  const module = (await loader()) as { default: Catalog };
  entry.loaded.set(locale, module.default);
}

export type Translate<English extends Catalog> = (key: keyof English & string, params?: Params) => string;

/** Makes the `t` of one catalogue folder (see the module comment). */
export function translator<English extends Catalog>(
  english: English,
  others: Record<string, Loader>,
): Translate<English> {
  const entry: Registered = { english, loaders: new Map(), loaded: new Map() };
  for (const [path, loader] of Object.entries(others)) {
    const locale = localeOfPath(path);
    if (locale) entry.loaders.set(locale, loader);
  }
  registry.push(entry);
  // A catalogue that arrives after the language was chosen (a lazily loaded page) catches up.
  if (current !== 'en') void load(entry, current).then(() => notify());
  return (key, params) => {
    const message = entry.loaded.get(current)?.[key] ?? english[key];
    if (message === undefined) return key;
    return formatMessage(current, message, params);
  };
}

function notify(): void {
  for (const listener of listeners) listener(current);
}

/** The language the dashboard speaks now. */
export function currentLocale(): DashboardLocale {
  return current;
}

/**
 * Resolves once every registered catalogue speaks the current language: a lazily loaded page awaits it
 * after its module (which registered its catalogues) arrived, so it never paints in English first.
 */
export async function catalogsReady(): Promise<void> {
  await Promise.all(registry.map((entry) => load(entry, current)));
}

/** Switches the language once every catalogue of it has arrived; `<html lang>` follows. */
export async function setLocale(locale: DashboardLocale): Promise<void> {
  await Promise.all(registry.map((entry) => load(entry, locale)));
  current = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  try {
    localStorage.setItem(storageKey, locale);
  } catch {
    // Private mode or storage disabled: the agent's saved preference still applies after sign-in.
  }
  notify();
}

const storageKey = 'beckon.dashboard.language';

/**
 * The language before the agent is known (the sign-in page): the last one used on this browser, else
 * the browser's preference list.
 */
export function initialLocale(): DashboardLocale {
  try {
    const saved = localStorage.getItem(storageKey);
    if (isDashboardLocale(saved)) return saved;
  } catch {
    // Storage disabled: fall through to the browser's languages.
  }
  return pickLocale(typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]));
}

/** Re-renders the calling component (the app root) when the language changes. */
export function useLocale(): DashboardLocale {
  const [locale, setState] = useState(current);
  useEffect(() => {
    listeners.add(setState);
    setState(current);
    return () => void listeners.delete(setState);
  }, []);
  return locale;
}

/** Dates, times and numbers in the dashboard's language (Intl caches nothing across locales, we do). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
export function formatDate(value: Date | string | number, options: Intl.DateTimeFormatOptions = {}): string {
  const key = `${current}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(current, options)));
  return format.format(value instanceof Date ? value : new Date(value));
}

export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(current, options).format(value);
}

/** Every registered catalogue with its languages' loaders, for the completeness test. */
export function registeredCatalogs(): ReadonlyArray<{ english: Catalog; locales: DashboardLocale[] }> {
  return registry.map((entry) => ({ english: entry.english, locales: [...entry.loaders.keys()] }));
}
