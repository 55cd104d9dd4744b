import { describe, expect, it } from 'vitest';
import { defaultWidgetSettings, type WidgetSettings } from '@beckon/sdk/protocol';
import { contrastText, normalizeHex, sameSettings, validateSettings } from './settings';

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
    expect(Object.keys(errors).sort()).toEqual(['widget.color', 'widget.launcherLabel', 'widget.texts.greeting', 'widget.texts.title']);
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
