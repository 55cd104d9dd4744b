import { describe, expect, it } from 'vitest';
import { en } from './i18n/en.js';
import { strings as lv } from './i18n/lv.js';
import { strings as ru } from './i18n/ru.js';
import { count } from './plural.js';

describe('count', () => {
  it('takes the form Intl.PluralRules picks for the language, not the English one', () => {
    expect(count(en.tooLong, 'n', 1, 'en')).toBe('Too long by 1 character');
    expect(count(en.tooLong, 'n', 2, 'en')).toBe('Too long by 2 characters');
    // Latvian: 1, 21, 31 are "one"; 10–20 and 30 "zero".
    expect(count(lv.tooLong, 'n', 21, 'lv')).toBe('Teksts ir par 21 rakstzīmi par garu');
    expect(count(lv.tooLong, 'n', 11, 'lv')).toBe('Teksts ir par 11 rakstzīmēm par garu');
    // Russian: one, few, many.
    expect(count(ru.tooLong, 'n', 1, 'ru')).toBe('Лишний 1 символ');
    expect(count(ru.tooLong, 'n', 3, 'ru')).toBe('Лишних 3 символа');
    expect(count(ru.tooLong, 'n', 5, 'ru')).toBe('Лишних 5 символов');
  });

  it('formats the number in the locale', () => {
    expect(count({ other: '{n}' }, 'n', 1234, 'de')).toBe('1.234');
  });
});
