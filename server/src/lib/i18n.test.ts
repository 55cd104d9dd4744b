import { describe, expect, it } from 'vitest';
import { offlineNoticeCatalogs } from '../features/chat/emails/index.js';
import { visitorEmailCatalogs } from '../features/chat/visitor-emails/index.js';
import { digestCatalogs } from '../features/reports/emails/index.js';
import { inviteCatalogs } from '../features/team/emails/index.js';
import { agentLanguage, catalogProblems, emailTexts, fill, formatUtc, widgetLanguages } from './i18n.js';

describe('email catalogues', () => {
  it.each([
    ['team invitation', inviteCatalogs],
    ['offline-message notice', offlineNoticeCatalogs],
    ['reports digest', digestCatalogs],
  ])('%s: every language has every key with the same placeholders', (_name, catalogs) => {
    expect(catalogProblems(catalogs)).toEqual([]);
  });

  it('emails to visitors: every widget language has every key with the same placeholders', () => {
    expect(catalogProblems(visitorEmailCatalogs, widgetLanguages)).toEqual([]);
    expect(catalogProblems({ en: visitorEmailCatalogs.en }, widgetLanguages)).toContain('de: no catalogue');
  });

  it('finds a missing key, an extra key and a lost placeholder', () => {
    const en = { a: 'Hi {name}', b: 'Bye' };
    const broken = {
      ...inviteCatalogs,
      en,
      ru: { a: 'Привет' },
      lv: { a: 'Sveiki {name}', b: 'Ata', c: 'x' },
    } as never;
    expect(catalogProblems(broken)).toEqual(
      expect.arrayContaining(['ru: "a" placeholders differ', 'ru: missing "b"', 'lv: extra key "c"']),
    );
  });
});

describe('agent language', () => {
  it('reads the stored language, and falls back for none or an unknown one', () => {
    expect(agentLanguage({ language: 'lv' })).toBe('lv');
    expect(agentLanguage({ language: null })).toBe('en');
    expect(agentLanguage({ language: 'de' }, 'ru')).toBe('ru');
    expect(agentLanguage({})).toBe('en');
    expect(agentLanguage(undefined, 'am')).toBe('am');
  });

  it('fills placeholders and writes dates in the reader’s language', () => {
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(formatUtc('ru', '2026-12-05T04:37:00Z')).toBe('5 дек. 2026 г., 04:37 UTC');
    expect(emailTexts(inviteCatalogs)('lv')('subject', { inviter: 'Anna' })).toBe('Anna jūs aicina uz Beckon');
  });
});
