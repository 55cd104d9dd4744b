import type { WidgetSettings } from '@beckon/sdk/protocol';
import { hexPattern } from '../../lib/colour';

export type TextKey = keyof WidgetSettings['texts'];

export const textFields: ReadonlyArray<{ key: TextKey; label: string; max: number; multiline?: boolean }> = [
  { key: 'title', label: 'Panel title', max: 60 },
  { key: 'greeting', label: 'Greeting', max: 400, multiline: true },
  { key: 'chat', label: 'Chat button', max: 40 },
  { key: 'callback', label: 'Callback button', max: 40 },
  { key: 'feedback', label: 'Feedback button', max: 40 },
];

export const languageNames: Record<WidgetSettings['language'], string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  ru: 'Русский',
};

/** A few brand-ish starting points next to the free colour picker. */
export const colorSwatches = ['#2563eb', '#4f46e5', '#7c3aed', '#db2777', '#dc2626', '#ea580c', '#16a34a', '#0d9488', '#0f172a'];

export { contrastText, normalizeHex } from '../../lib/colour';

export function sameSettings(a: WidgetSettings, b: WidgetSettings): boolean {
  return (
    a.color === b.color &&
    a.position === b.position &&
    a.launcherLabel === b.launcherLabel &&
    a.language === b.language &&
    textFields.every(({ key }) => a.texts[key] === b.texts[key])
  );
}

/** Client-side checks mirroring the protocol, keyed like the server's field errors (`widget.texts.title`). */
export function validateSettings(settings: WidgetSettings): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!hexPattern.test(settings.color)) errors['widget.color'] = 'Use a colour like #2563eb.';
  const label = settings.launcherLabel.trim();
  if (!label) errors['widget.launcherLabel'] = 'The launcher needs a label.';
  else if (label.length > 40) errors['widget.launcherLabel'] = 'At most 40 characters.';
  for (const { key, max } of textFields) {
    const value = settings.texts[key].trim();
    if (!value) errors[`widget.texts.${key}`] = 'This text cannot be empty.';
    else if (value.length > max) errors[`widget.texts.${key}`] = `At most ${max} characters.`;
  }
  return errors;
}
