import type { ConsentMode, ConsentSettings, PrivacySettings } from '@beckon/sdk/protocol';
import { t } from './i18n';

/** Each consent mode with the catalogue keys of its title and text. */
export const consentModeChoices = [
  { mode: 'required', title: 'modeRequired', text: 'modeRequiredText' },
  { mode: 'implied', title: 'modeImplied', text: 'modeImpliedText' },
  { mode: 'external', title: 'modeExternal', text: 'modeExternalText' },
] as const satisfies ReadonlyArray<{ mode: ConsentMode; title: string; text: string }>;

export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Local checks before saving (the server validates again with the shared schema). */
export function validatePrivacyDraft(consent: ConsentSettings, privacy: PrivacySettings): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(consent.policyVersion.trim()))
    errors['consent.policyVersion'] = t('errPolicyVersion');
  for (const [key, value] of Object.entries(consent.prompt.texts))
    if (!value.trim()) errors[`consent.prompt.texts.${key}`] = t('errRequired');
  if (
    privacy.retentionDays !== null &&
    (!Number.isInteger(privacy.retentionDays) || privacy.retentionDays < 1 || privacy.retentionDays > 3650)
  ) {
    errors['privacy.retentionDays'] = t('errRetention');
  }
  return errors;
}

/** Erasing is irreversible: the visitor id typed again must match. */
export const erasureConfirmed = (visitorId: string, typed: string) =>
  visitorId.trim() !== '' && visitorId.trim() === typed.trim();

/**
 * What a privacy request names, from what the person told you: an email, a phone number (the person's
 * E.164, spaces allowed), or — from a visitor's page — the raw visitor id.
 */
export function privacySubject(input: string): { email: string } | { phone: string } | { visitorId: string } | null {
  const value = input.trim();
  if (!value) return null;
  if (value.includes('@')) return { email: value };
  if (/^\+[\d\s().-]{6,}$/.test(value)) return { phone: value.replace(/[\s().-]/g, '') };
  return { visitorId: value };
}
