import { describe, expect, it } from 'vitest';
import { shownName, withLocalTimes } from './index';
import { loadPhoneFormat, shownPhone } from './phone';

// One file of its own: the formatter, once loaded, stays loaded for the module (as in the running dashboard).
describe('phone numbers as agents read them', () => {
  it('shows E.164 until the formatter arrived, then the international format', async () => {
    expect(shownPhone('+4930901820')).toBe('+4930901820');
    await loadPhoneFormat();
    expect(shownPhone('+4930901820')).toBe('+49 30 901820');
    expect(shownPhone('+14155550123')).toBe('+1 415 555 0123');
    expect(shownPhone('+442079460000')).toBe('+44 20 7946 0000');
  });

  it('leaves what is not an E.164 number as it is', async () => {
    await loadPhoneFormat();
    for (const text of ['Jane Roe', '030 901820', '+49 30 901820', '+0123456789', '+49', '+4930901820 ext 2'])
      expect(shownPhone(text)).toBe(text);
  });

  it('names a person known only by their number by the number as shown, and formats numbers in server text', async () => {
    await loadPhoneFormat();
    expect(shownName('+4930901820')).toBe('+49 30 901820');
    expect(shownName('Jane Roe')).toBe('Jane Roe');
    expect(withLocalTimes('Asked to be called on +14155550123 now', 'en-GB')).toBe(
      'Asked to be called on +1 415 555 0123 now',
    );
  });
});
