import { describe, expect, it } from 'vitest';
import { defaultConsentSettings, defaultPrivacySettings } from '@beckon/sdk/protocol';
import { erasureConfirmed, validatePrivacyDraft } from './consent';

describe('privacy settings draft', () => {
  it('accepts the defaults', () => {
    expect(validatePrivacyDraft(defaultConsentSettings, defaultPrivacySettings)).toEqual({});
  });

  it('flags a bad policy version, an empty prompt text and an impossible retention', () => {
    const errors = validatePrivacyDraft(
      { ...defaultConsentSettings, policyVersion: 'v 2', prompt: { ...defaultConsentSettings.prompt, texts: { ...defaultConsentSettings.prompt.texts, acceptAll: ' ' } } },
      { retentionDays: 0 },
    );
    expect(Object.keys(errors).sort()).toEqual(['consent.policyVersion', 'consent.prompt.texts.acceptAll', 'privacy.retentionDays']);
  });

  it('erasure needs the visitor id typed again', () => {
    expect(erasureConfirmed('visitor_1', 'visitor_1')).toBe(true);
    expect(erasureConfirmed('visitor_1', 'visitor_2')).toBe(false);
    expect(erasureConfirmed('', '')).toBe(false);
  });
});
