import { describe, expect, it } from 'vitest';
import { pickLocale } from './locales';
import { formatMessage, placeholdersOf } from './translate';

describe('formatMessage', () => {
  const chats = { one: '{count} chat', other: '{count} chats' };

  it('fills placeholders and formats numbers for the language', () => {
    expect(formatMessage('en', 'Hello, {name}', { name: 'Anna' })).toBe('Hello, Anna');
    expect(formatMessage('en', chats, { count: 1200 })).toBe('1,200 chats');
    expect(formatMessage('ru', '{count}', { count: 1200 })).toBe('1\u00a0200');
  });

  it('keeps an unknown placeholder visible instead of printing undefined', () => {
    expect(formatMessage('en', 'Hi {name}', {})).toBe('Hi {name}');
  });

  it('picks the plural form each language needs', () => {
    const ru = { one: '{count} чат', few: '{count} чата', many: '{count} чатов', other: '{count} чата' };
    expect([1, 2, 5, 21, 1.5].map((count) => formatMessage('ru', ru, { count }))).toEqual([
      '1 чат',
      '2 чата',
      '5 чатов',
      '21 чат',
      '1,5 чата',
    ]);
    // Latvian: 0 and 10–20 take the "zero" category, 1/21/31 "one".
    const lv = { zero: '{count} tērzēšanu', one: '{count} tērzēšana', other: '{count} tērzēšanas' };
    expect([0, 1, 11, 21, 3].map((count) => formatMessage('lv', lv, { count }))).toEqual([
      '0 tērzēšanu',
      '1 tērzēšana',
      '11 tērzēšanu',
      '21 tērzēšana',
      '3 tērzēšanas',
    ]);
  });

  it('uses an explicit zero form when there is one, else the language rule', () => {
    expect(formatMessage('en', { zero: 'No chats', one: '{count} chat', other: '{count} chats' }, { count: 0 })).toBe(
      'No chats',
    );
    expect(formatMessage('en', chats, { count: 0 })).toBe('0 chats');
  });

  it('lists placeholders across plural forms', () => {
    expect(placeholdersOf({ one: '{count} by {agent}', other: '{count} by {agent}' })).toEqual(['agent', 'count']);
  });
});

describe('pickLocale', () => {
  it('takes the first supported base language in preference order', () => {
    expect(pickLocale(['de-DE', 'lv-LV', 'ru'])).toBe('lv');
    expect(pickLocale(['uz-Latn-UZ'])).toBe('uz');
    expect(pickLocale(['SI'])).toBe('si');
    expect(pickLocale(['de', 'fr'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });
});
