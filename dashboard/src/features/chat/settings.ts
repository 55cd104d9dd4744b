import type { ChatSettings } from '@beckon/sdk/protocol';
import { sameTranslations } from '../../lib/site-languages';
import { validateWeek } from './hours';
import { t } from './i18n';

export const prechatFields = [
  { key: 'name', labelKey: 'fieldName' },
  { key: 'email', labelKey: 'fieldEmail' },
  { key: 'phone', labelKey: 'fieldPhone' },
] as const;

const fieldModeKeys = { off: 'modeOff', optional: 'modeOptional', required: 'modeRequired' } as const;
export const fieldModeLabel = (mode: keyof typeof fieldModeKeys) => t(fieldModeKeys[mode]);

/** The auto-reply as the visitor reads it. */
export function autoReplyPreview(settings: Pick<ChatSettings, 'autoReply' | 'expectedReplyMinutes'>): string {
  return settings.autoReply.replaceAll('{minutes}', String(settings.expectedReplyMinutes));
}

/** The chat texts a site can give per language (`chat.translations`). */
export const chatTextKeys = ['greeting', 'autoReply'] as const;

/** Structural equality, for the unsaved-changes bar. */
export function sameChatSettings(a: ChatSettings, b: ChatSettings): boolean {
  return (
    JSON.stringify(normalize(a)) === JSON.stringify(normalize(b)) &&
    sameTranslations(a.translations, b.translations, chatTextKeys)
  );
}

const normalize = ({ translations: _translations, ...s }: ChatSettings) => ({
  ...s,
  businessHours: s.businessHours && {
    timezone: s.businessHours.timezone,
    intervals: [...s.businessHours.intervals].sort((x, y) => x.day - y.day || x.open.localeCompare(y.open)),
  },
});

/** Field errors keyed like the server's (`chat.greeting`, `chat.businessHours.week`, `chat.businessHours.1.0`). */
export function validateChatSettings(
  settings: ChatSettings,
  week: Parameters<typeof validateWeek>[0] | null,
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (settings.greeting.trim().length > 400) errors['chat.greeting'] = t('errMaxChars');
  if (settings.autoReply.trim().length > 400) errors['chat.autoReply'] = t('errMaxChars');
  for (const [language, texts] of Object.entries(settings.translations ?? {})) {
    for (const key of chatTextKeys) {
      if ((texts?.[key] ?? '').trim().length > 400) errors[`chat.translations.${language}.${key}`] = t('errMaxChars');
    }
  }
  const minutes = settings.expectedReplyMinutes;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
    errors['chat.expectedReplyMinutes'] = t('errMinutes');
  if (settings.businessHours && week) {
    for (const [key, message] of Object.entries(validateWeek(week))) errors[`chat.businessHours.${key}`] = message;
  }
  return errors;
}
