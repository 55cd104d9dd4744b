import { describe, expect, it } from 'vitest';
import { defaultWidgetSettings, type WidgetSettings } from '@beckon/sdk/protocol';
import { cleanTranslations, contrastText, normalizeHex, sameSettings, validateSettings } from './settings';

const base: WidgetSettings = structuredClone(defaultWidgetSettings);

describe('normalizeHex', () => {
  it('accepts the forms people type', () => {
    expect(normalizeHex('#2563EB')).toBe('#2563eb');
    expect(normalizeHex('2563eb')).toBe('#2563eb');
    expect(normalizeHex(' #26e ')).toBe('#2266ee');
  });

  it('rejects the rest', () => {
    expect(normalizeHex('#2563e')).toBeNull();
    expect(normalizeHex('blue')).toBeNull();
    expect(normalizeHex('')).toBeNull();
  });
});

describe('sameSettings', () => {
  it('compares every editable value', () => {
    expect(sameSettings(base, structuredClone(base))).toBe(true);
    expect(sameSettings(base, { ...base, color: '#000000' })).toBe(false);
    expect(sameSettings(base, { ...base, position: 'bottom-left' })).toBe(false);
    expect(sameSettings(base, { ...base, texts: { ...base.texts, feedback: 'x' } })).toBe(false);
  });
});

describe('validateSettings', () => {
  it('passes the defaults', () => {
    expect(validateSettings(base)).toEqual({});
  });

  it('reports problems under the server field paths', () => {
    const errors = validateSettings({
      ...base,
      color: 'red',
      launcherLabel: '   ',
      texts: { ...base.texts, title: '', greeting: 'x'.repeat(401) },
    });
    expect(Object.keys(errors).sort()).toEqual([
      'widget.color',
      'widget.launcherLabel',
      'widget.texts.greeting',
      'widget.texts.title',
    ]);
  });
});

describe('contrastText', () => {
  it('picks readable text on the accent', () => {
    expect(contrastText('#2563eb')).toBe('#ffffff');
    expect(contrastText('#0f172a')).toBe('#ffffff');
    expect(contrastText('#fde047')).toBe('#0f172a');
    expect(contrastText('#ffffff')).toBe('#0f172a');
  });
});

describe('per-language texts', () => {
  it('counts a translation or the auto switch as a change, whatever the key order the server sends back', () => {
    const translated: WidgetSettings = { ...base, translations: { lv: { title: 'Sveiki', chat: 'Tērzēt' } } };
    expect(sameSettings(base, translated)).toBe(false);
    expect(sameSettings(translated, { ...base, translations: { lv: { chat: 'Tērzēt', title: 'Sveiki' } } })).toBe(true);
    expect(sameSettings(base, { ...base, auto: true })).toBe(false);
    expect(sameSettings(base, { ...base, translations: {} })).toBe(true);
  });

  it('saves trimmed texts only, drops empty ones and languages, and checks the limits', () => {
    expect(cleanTranslations({ lv: { title: '  Sveiki ', chat: '  ' }, hy: { title: '' } })).toEqual({
      lv: { title: 'Sveiki' },
    });
    expect(validateSettings({ ...base, translations: { si: { launcherLabel: 'x'.repeat(41) } } })).toEqual({
      'widget.translations.si.launcherLabel': 'At most 40 characters.',
    });
  });
});
