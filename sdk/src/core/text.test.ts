import { describe, expect, it } from 'vitest';
import { truncate, truncateReadable } from './text.js';

const loneSurrogate = /\p{Cs}/u;

describe('truncate', () => {
  it('keeps at most max UTF-16 units and never half of a surrogate pair, whatever the boundary', () => {
    const emoji = '\u{1F600}';
    for (let before = 0; before <= 12; before++) {
      const text = 'a'.repeat(before) + emoji + 'b'.repeat(4);
      for (let max = 0; max <= text.length + 1; max++) {
        const cut = truncate(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut).not.toMatch(loneSurrogate);
        expect(text.startsWith(cut)).toBe(true);
        // Only the pair that does not fit is dropped whole.
        expect(cut.length).toBeGreaterThanOrEqual(Math.min(text.length, max - 1));
      }
    }
  });

  it('returns short text unchanged', () => {
    const text = 'Café \u{1F600}';
    expect(truncate(text, 100)).toBe(text);
    expect(truncate(text, text.length)).toBe(text);
    expect(truncate('', 5)).toBe('');
  });
});

describe('truncateReadable', () => {
  it('never splits a flag, a family emoji or a letter with its accent', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // 8 units, one character
    const flag = '\u{1F1E9}\u{1F1EA}'; // 4 units
    const accented = 'e\u0301'; // é as e + combining acute
    for (const character of [family, flag, accented]) {
      for (let before = 1; before <= 6; before++) {
        const text = `${'a'.repeat(before) + character}z`;
        for (let max = before; max <= text.length; max++) {
          const cut = truncateReadable(text, max);
          expect(cut.length).toBeLessThanOrEqual(max);
          // The character is there whole or not at all.
          expect([text.slice(0, before), text.slice(0, before + character.length), text]).toContain(cut);
        }
      }
    }
  });

  it('cuts a single character longer than the limit rather than dropping everything', () => {
    const zalgo = `a${'\u0301'.repeat(50)}`;
    expect(truncateReadable(zalgo, 10)).toBe(zalgo.slice(0, 10));
    expect(truncateReadable('\u{1F600}x', 1)).toBe('');
  });
});
