import { z } from 'zod';

/** The widget's own languages (issue 20). Adding one: see the README's *Languages* section. */
export const widgetLanguages = ['en', 'de', 'fr', 'es', 'ru', 'lv', 'hy', 'uz', 'am', 'si'] as const;
export type WidgetLanguage = (typeof widgetLanguages)[number];

/**
 * A site's texts in more languages than its default: `{ lv: { title: '…' } }`. Keys are widget
 * languages only (bounded); every text is optional and falls back to the default one, which is written
 * in `widget.language`. Each settings group keeps its own translations beside its default texts.
 */
export const translationsOf = <T extends z.ZodRawShape>(shape: T) =>
  z.partialRecord(z.enum(widgetLanguages), z.object(shape).partial());

/** Our languages written in another script than Latin. Uzbek is Latin (`uz-Cyrl` is not ours). */
const scripts: Partial<Record<WidgetLanguage, string>> = { ru: 'cyrl', hy: 'armn', am: 'ethi', si: 'sinh' };

/**
 * The first of `preferred` (BCP 47 tags, best first, like `navigator.languages`) the widget speaks:
 * `lv-LV`, `lv` and `LV` give `lv`. A tag that names another script than ours (`uz-Cyrl`, `ru-Latn`) is
 * passed over, so the reader's next preference (often Russian for Cyrillic Uzbek) or `fallback` wins.
 */
export function pickLanguage(preferred: readonly string[], fallback: WidgetLanguage): WidgetLanguage {
  for (const tag of preferred) {
    const language = matchLanguage(tag);
    if (language) return language;
  }
  return fallback;
}

/** The widget language a tag means (`lv-LV` → `lv`), or undefined (`uz-Cyrl`, `pt`). */
export function matchLanguage(tag: string): WidgetLanguage | undefined {
  const [base = '', ...rest] = tag.toLowerCase().split(/[-_]/);
  const script = rest.find((part) => /^[a-z]{4}$/.test(part));
  const known = (widgetLanguages as readonly string[]).includes(base);
  return known && (!script || script === (scripts[base as WidgetLanguage] ?? 'latn'))
    ? (base as WidgetLanguage)
    : undefined;
}

/**
 * An `Accept-Language` header as tags, best first (`q=0` dropped, at most 20): the browser sends
 * `navigator.languages` this way with every request, the config fetch included.
 */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .slice(0, 500)
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((param) => param.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter(({ tag, q }) => q > 0 && /^[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*$/.test(tag))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map(({ tag }) => tag);
}
