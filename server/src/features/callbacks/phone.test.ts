import { describe, expect, it } from 'vitest';
import { isBlockedNumber, validE164 } from './phone.js';

describe('validE164', () => {
  it('accepts valid numbers of many countries and normalises them', () => {
    expect(validE164('+49 30 901820')).toBe('+4930901820');
    expect(validE164('+1 (415) 555-2671')).toBe('+14155552671');
    expect(validE164('+44 20 7946 0958')).toBe('+442079460958');
    expect(validE164('+33 6 12 34 56 78')).toBe('+33612345678');
    expect(validE164('+7 912 345-67-89')).toBe('+79123456789');
    expect(validE164('+91 98765 43210')).toBe('+919876543210');
  });

  it('rejects numbers that cannot exist', () => {
    expect(validE164('+49 12')).toBeNull(); // too short
    expect(validE164('+1 415 555 26711 2')).toBeNull(); // too long
    expect(validE164('+999 123456')).toBeNull(); // no such country code
    expect(validE164('not a number')).toBeNull();
  });
});

describe('isBlockedNumber', () => {
  it('matches on the start of the E.164 number only', () => {
    expect(isBlockedNumber('+19005551234', ['+1900'])).toBe(true);
    expect(isBlockedNumber('+14155551900', ['+1900'])).toBe(false);
    expect(isBlockedNumber('+4930901820', [])).toBe(false);
  });
});
