import type { ConsentMode, ConsentSettings, PrivacySettings } from '@beckon/sdk/protocol';

export const consentModeChoices: ReadonlyArray<{ mode: ConsentMode; title: string; text: string }> = [
  { mode: 'required', title: 'Ask first', text: 'Nothing stored and no stream until the visitor agrees. Before that, only anonymous page counts. Right for the EU.' },
  { mode: 'implied', title: 'Implied', text: 'Analytics from the first page; marketing (cookies for ads, pixels) still needs a yes. For sites outside such laws.' },
  { mode: 'external', title: 'Your consent manager', text: 'Follow Google Consent Mode or an IAB TCF banner already on the site, or your own Beckon("consent", …) calls.' },
];

export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Local checks before saving (the server validates again with the shared schema). */
export function validatePrivacyDraft(consent: ConsentSettings, privacy: PrivacySettings): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(consent.policyVersion.trim())) errors['consent.policyVersion'] = 'Letters, digits, ".", "-" and "_", up to 40.';
  for (const [key, value] of Object.entries(consent.prompt.texts)) if (!value.trim()) errors[`consent.prompt.texts.${key}`] = 'Required.';
  if (privacy.retentionDays !== null && (!Number.isInteger(privacy.retentionDays) || privacy.retentionDays < 1 || privacy.retentionDays > 3650)) {
    errors['privacy.retentionDays'] = 'A whole number of days from 1 to 3650.';
  }
  return errors;
}

/** Erasing is irreversible: the visitor id typed again must match. */
export const erasureConfirmed = (visitorId: string, typed: string) => visitorId.trim() !== '' && visitorId.trim() === typed.trim();

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
