import type { WidgetLanguage, WidgetSettings } from '@beckon/sdk/protocol';
import { t } from './i18n';
import { hexPattern } from '../../lib/colour';

export type TextKey = keyof WidgetSettings['texts'];
export type TranslationKey = TextKey | 'launcherLabel';

export const textFields: ReadonlyArray<{ key: TextKey; label: string; max: number; multiline?: boolean }> = [
  { key: 'title', label: 'Panel title', max: 60 },
  { key: 'greeting', label: 'Greeting', max: 400, multiline: true },
  { key: 'chat', label: 'Chat button', max: 40 },
  { key: 'callback', label: 'Callback button', max: 40 },
  { key: 'feedback', label: 'Feedback button', max: 40 },
];

/** Every text a site can give per language (`widget.translations`), in the order the form shows them. */
export const translationFields: ReadonlyArray<{
  key: TranslationKey;
  label: string;
  max: number;
  multiline?: boolean;
}> = [{ key: 'launcherLabel', label: 'Launcher label', max: 40 }, ...textFields];

import { languageNames, siteLanguages } from '../../lib/site-languages';

export { languageNames };
export const languages = siteLanguages;

const translated = (settings: WidgetSettings, language: WidgetLanguage, key: TranslationKey) =>
  settings.translations?.[language]?.[key] ?? '';

/** Trimmed translations without empty texts or languages (an empty text means "use the default"). */
export function cleanTranslations(translations: WidgetSettings['translations']): WidgetSettings['translations'] {
  const clean: NonNullable<WidgetSettings['translations']> = {};
  for (const language of languages) {
    const entries = translationFields
      .map(({ key }) => [key, (translations?.[language]?.[key] ?? '').trim()] as const)
      .filter(([, value]) => value);
    if (entries.length) clean[language] = Object.fromEntries(entries);
  }
  return clean;
}

/** A few brand-ish starting points next to the free colour picker. */
export const colorSwatches = [
  '#2563eb',
  '#4f46e5',
  '#7c3aed',
  '#db2777',
  '#dc2626',
  '#ea580c',
  '#16a34a',
  '#0d9488',
  '#0f172a',
];

export { contrastText, normalizeHex } from '../../lib/colour';

export function sameSettings(a: WidgetSettings, b: WidgetSettings): boolean {
  return (
    a.color === b.color &&
    a.position === b.position &&
    a.launcherLabel === b.launcherLabel &&
    a.language === b.language &&
    !!a.auto === !!b.auto &&
    textFields.every(({ key }) => a.texts[key] === b.texts[key]) &&
    // Key by key: the server's JSON keeps no key order.
    languages.every((language) =>
      translationFields.every(({ key }) => translated(a, language, key) === translated(b, language, key)),
    )
  );
}

/** Client-side checks mirroring the protocol, keyed like the server's field errors (`widget.texts.title`). */
export function validateSettings(settings: WidgetSettings): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!hexPattern.test(settings.color)) errors['widget.color'] = t('errColour');
  const label = settings.launcherLabel.trim();
  if (!label) errors['widget.launcherLabel'] = t('errLauncherEmpty');
  else if (label.length > 40) errors['widget.launcherLabel'] = t('errAtMost', { max: 40 });
  for (const { key, max } of textFields) {
    const value = settings.texts[key].trim();
    if (!value) errors[`widget.texts.${key}`] = t('errTextEmpty');
    else if (value.length > max) errors[`widget.texts.${key}`] = t('errAtMost', { max });
  }
  for (const language of languages) {
    for (const { key, max } of translationFields) {
      if (translated(settings, language, key).trim().length > max)
        errors[`widget.translations.${language}.${key}`] = `At most ${max} characters.`;
    }
  }
  return errors;
}
