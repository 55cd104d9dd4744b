import { describe, expect, it } from 'vitest';
import { displayName, visitorLabel } from './persons.js';

describe('display names', () => {
  it('labels an id the same way every time, in four unambiguous characters', () => {
    expect(visitorLabel('visitor_e9b7xYz')).toBe(visitorLabel('visitor_e9b7xYz'));
    expect(visitorLabel('visitor_e9b7xYz')).toMatch(/^Visitor [2-9A-HJ-NP-Z]{4}$/);
    expect(visitorLabel('visitor_a')).not.toBe(visitorLabel('visitor_b'));
  });
  it('prefers name, then email, then phone, then the label', () => {
    expect(displayName({ name: ' Ann ', email: 'ann@example.com' }, 'x')).toBe('Ann');
    expect(displayName({ name: '', email: 'ann@example.com', phone: '+4930123456' }, 'x')).toBe('ann@example.com');
    expect(displayName({ phone: '+4930123456' }, 'x')).toBe('+4930123456');
    expect(displayName({}, 'visitor_q')).toBe(visitorLabel('visitor_q'));
  });
});
