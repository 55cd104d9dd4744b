import type { DashboardLocale } from './locales';

/**
 * A typed message catalogue (no library): each catalogue folder has `en.ts` (the source: keys, English
 * text, placeholders) and one file per other language typed as `Translation<typeof en>`, so a missing or
 * extra key breaks the build. Chosen over i18next/Lingui because the dashboard needs only lookups,
 * `{placeholders}` and `Intl.PluralRules`: about 1 KB of code, and keys checked by TypeScript.
 */

/** A message with plural forms, chosen by `Intl.PluralRules` for the `count` parameter. */
export interface PluralMessage {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}
export type Message = string | PluralMessage;
export type Catalog = Record<string, Message>;

/** Another language's catalogue: the same keys as English; plural messages stay plural. */
export type Translation<English extends Catalog> = {
  [Key in keyof English]: English[Key] extends string ? string : PluralMessage;
};

export type Params = Record<string, string | number>;

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function pluralRule(locale: string): Intl.PluralRules {
  let rule = pluralRules.get(locale);
  if (!rule) pluralRules.set(locale, (rule = new Intl.PluralRules(locale)));
  return rule;
}

function numberFormat(locale: string): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format;
}

/** The `{name}` placeholders a message uses (all plural forms together), for the completeness test. */
export function placeholdersOf(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message).filter((t): t is string => !!t);
  const names = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(/\{(\w+)\}/g)) names.add(match[1]!);
  return [...names].sort();
}

/**
 * One message in one language: the plural form for `params.count`, then `{placeholders}` filled.
 * Numbers are formatted for the language; an unknown placeholder stays visible as `{name}`.
 */
export function formatMessage(locale: DashboardLocale, message: Message, params?: Params): string {
  let text: string;
  if (typeof message === 'string') {
    text = message;
  } else {
    const count = typeof params?.count === 'number' ? params.count : Number(params?.count ?? 0);
    const form = count === 0 && message.zero ? 'zero' : pluralRule(locale).select(count);
    text = message[form] ?? message.other;
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numberFormat(locale).format(value) : value;
  });
}
