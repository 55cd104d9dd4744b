import { describe, expect, it } from 'vitest';
import {
  cleanTranslations,
  isTranslated,
  languageWithError,
  sameTranslations,
  withTranslation,
  type Translations,
} from './site-languages';

describe('site texts per language', () => {
  it('saves trimmed texts only, without empty ones, empty languages or the default language', () => {
    let translations: Translations<'greeting' | 'autoReply'> = withTranslation(
      undefined,
      'lv',
      'greeting',
      '  Sveiki!  ',
    );
    translations = withTranslation(translations, 'lv', 'autoReply', '   ');
    translations = withTranslation(translations, 'ru', 'greeting', '');
    translations = withTranslation(translations, 'en', 'greeting', 'Hello');
    expect(cleanTranslations(translations, ['greeting', 'autoReply'], 'en')).toEqual({ lv: { greeting: 'Sveiki!' } });
  });

  it('tells a language with its own text from one that falls back, and compares without key order', () => {
    const translations = { lv: { greeting: 'Sveiki!' }, ru: { greeting: ' ' } };
    expect(isTranslated(translations, 'lv')).toBe(true);
    expect(isTranslated(translations, 'ru')).toBe(false);
    expect(isTranslated(undefined, 'si')).toBe(false);
    expect(sameTranslations({ lv: { a: 'x', b: 'y' } }, { lv: { b: 'y', a: 'x' } }, ['a', 'b'])).toBe(true);
    expect(sameTranslations({ lv: { a: 'x' } }, { lv: { a: '' } }, ['a'])).toBe(false);
    expect(sameTranslations({ lv: { a: '' } }, undefined, ['a'])).toBe(true);
  });

  it("names the language of a field error, so the editor can open that language's tab", () => {
    expect(languageWithError({ 'chat.translations.lv.greeting': 'Too long' }, 'chat.')).toBe('lv');
    expect(languageWithError({ 'chat.greeting': 'Too long' }, 'chat.')).toBeUndefined();
    expect(languageWithError({ 'chat.translations.xx.greeting': 'Too long' }, 'chat.')).toBeUndefined();
  });
});
