import { describe, expect, it } from 'vitest';
import { defaultConsentSettings, defaultPrivacySettings } from '@beckon/sdk/protocol';
import { erasureConfirmed, privacySubject, validatePrivacyDraft } from './consent';

describe('privacy settings draft', () => {
  it('accepts the defaults', () => {
    expect(validatePrivacyDraft(defaultConsentSettings, defaultPrivacySettings)).toEqual({});
  });

  it('flags a bad policy version, an empty prompt text and an impossible retention', () => {
    const errors = validatePrivacyDraft(
      {
        ...defaultConsentSettings,
        policyVersion: 'v 2',
        prompt: { ...defaultConsentSettings.prompt, texts: { ...defaultConsentSettings.prompt.texts, acceptAll: ' ' } },
      },
      { retentionDays: 0 },
    );
    expect(Object.keys(errors).sort()).toEqual([
      'consent.policyVersion',
      'consent.prompt.texts.acceptAll',
      'privacy.retentionDays',
    ]);
  });

  it('erasure needs the visitor id typed again', () => {
    expect(erasureConfirmed('visitor_1', 'visitor_1')).toBe(true);
    expect(erasureConfirmed('visitor_1', 'visitor_2')).toBe(false);
    expect(erasureConfirmed('', '')).toBe(false);
  });
});

describe('privacySubject', () => {
  it('reads an email, an international phone, or a visitor id', () => {
    expect(privacySubject(' Ann@Example.com ')).toEqual({ email: 'Ann@Example.com' });
    expect(privacySubject('+34 612 345 678')).toEqual({ phone: '+34612345678' });
    expect(privacySubject('visitor_abc123')).toEqual({ visitorId: 'visitor_abc123' });
    expect(privacySubject('  ')).toBeNull();
  });
});
