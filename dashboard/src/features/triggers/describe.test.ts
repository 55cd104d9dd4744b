import { afterEach, describe, expect, it } from 'vitest';
import type { Trigger } from '@beckon/sdk/protocol';
import {
  describeConditions,
  describeFrequency,
  draftToInput,
  emptyDraft,
  hasCondition,
  triggerToDraft,
  validateDraft,
} from './describe';
import { setLocale } from '../../lib/i18n';

describe('trigger descriptions', () => {
  it('lists every condition in one line, in a fixed order', () => {
    expect(describeConditions({ url: '*pricing*', exitIntent: true, timeOnPage: 20 })).toBe(
      'Exit intent · 20 s on the page · page *pricing*',
    );
    expect(describeConditions({ visit: 2, hot: true, utmSource: 'newsletter', scroll: 75 })).toBe(
      'scrolled 75 % · returning visitor · utm_source = newsletter · became hot',
    );
    expect(describeFrequency({ kind: 'days', days: 7 })).toBe('Once per 7 days');
    expect(describeFrequency({ kind: 'session' })).toBe('Once per session');
  });

  it('turns a draft into a request body with only the conditions switched on', () => {
    const draft = {
      ...emptyDraft(),
      name: ' Leaving pricing ',
      url: { on: true, value: ' *pricing* ' },
      scroll: { on: false, value: 50 },
    };
    expect(draftToInput(draft)).toEqual({
      name: 'Leaving pricing',
      enabled: true,
      conditions: { exitIntent: true, url: '*pricing*' },
      action: { kind: 'callback', message: 'Before you go — shall we call you back in a minute?' },
      frequency: { kind: 'session' },
    });
    expect(hasCondition(draftToInput({ ...emptyDraft(), exitIntent: false }))).toBe(false);
    expect(draftToInput({ ...emptyDraft(), frequency: 'days', days: 3 }).frequency).toEqual({ kind: 'days', days: 3 });
  });

  it('prefills the editor from a stored trigger and gives back the same body, switch state included', () => {
    const stored: Trigger = {
      id: 't1',
      name: 'Newsletter readers on pricing',
      enabled: false,
      conditions: { url: '*pricing*', utmSource: 'newsletter', scroll: 75 },
      action: { kind: 'chat', message: 'Questions about plans?' },
      frequency: { kind: 'days', days: 3 },
      createdAt: '',
      updatedAt: '',
    };
    const draft = triggerToDraft(stored);
    // Conditions the trigger does not use are off (exit intent too, which a new trigger starts with), with the usual defaults ready.
    expect(draft).toMatchObject({
      exitIntent: false,
      hot: false,
      timeOnPage: { on: false, value: 20 },
      scroll: { on: true, value: 75 },
      days: 3,
      enabled: false,
    });
    const { id: _id, createdAt: _c, updatedAt: _u, ...input } = stored;
    expect(draftToInput(draft)).toEqual(input);
    expect(triggerToDraft({ ...stored, frequency: { kind: 'session' } }).days).toBe(7);
  });

  it('sends the message in other languages trimmed, without empty ones, and edits them again', () => {
    const draft = { ...emptyDraft(), name: 'Pricing', messages: { lv: '  Varam piezvanīt?  ', ru: '   ' } };
    const input = draftToInput(draft);
    expect(input.action.messages).toEqual({ lv: 'Varam piezvanīt?' });
    expect(draftToInput({ ...draft, messages: { ru: '' } }).action).not.toHaveProperty('messages');
    const stored: Trigger = {
      ...(input as Trigger),
      id: 't1',
      enabled: true,
      frequency: { kind: 'session' },
      createdAt: '',
      updatedAt: '',
    };
    expect(triggerToDraft(stored).messages).toEqual({ lv: 'Varam piezvanīt?' });
    expect(validateDraft({ ...draft, messages: { si: 'x'.repeat(401) } })).toHaveProperty(['action.messages.si']);
  });

  it('finds what the server would refuse, under the same keys as its field errors', () => {
    expect(validateDraft({ ...emptyDraft(), name: 'Exit offer' })).toEqual({});
    const errors = validateDraft({
      ...emptyDraft(),
      name: ' ',
      timeOnPage: { on: true, value: 0 },
      scroll: { on: true, value: 120 },
      url: { on: true, value: '  ' },
      action: 'chat',
      message: '',
      frequency: 'days',
      days: 400,
    });
    expect(Object.keys(errors).sort()).toEqual([
      'action.message',
      'conditions.scroll',
      'conditions.timeOnPage',
      'conditions.url',
      'frequency.days',
      'name',
    ]);
    expect(validateDraft({ ...emptyDraft(), name: 'x', exitIntent: false })).toEqual({
      conditions: 'Switch on at least one condition.',
    });
    // Feedback needs no line; a condition switched off is not checked.
    expect(
      validateDraft({ ...emptyDraft(), name: 'x', action: 'feedback', message: '', scroll: { on: false, value: 0 } }),
    ).toEqual({});
  });
});

describe('trigger descriptions in other languages', () => {
  afterEach(() => setLocale('en'));

  it('uses each language’s plural forms and word order', async () => {
    await setLocale('ru');
    expect(describeFrequency({ kind: 'days', days: 1 })).toBe('Раз в 1 день');
    expect(describeFrequency({ kind: 'days', days: 3 })).toBe('Раз в 3 дня');
    expect(describeFrequency({ kind: 'days', days: 7 })).toBe('Раз в 7 дней');
    expect(describeConditions({ exitIntent: true, timeOnPage: 20, visit: 3 })).toBe(
      'Намерение уйти · 20 с на странице · визит 3 и позже',
    );
    await setLocale('lv');
    expect(describeFrequency({ kind: 'days', days: 21 })).toBe('Reizi 21 dienā');
    expect(describeFrequency({ kind: 'days', days: 7 })).toBe('Reizi 7 dienās');
    await setLocale('si');
    expect(describeConditions({ timeOnPage: 20, visit: 3 })).toBe('පිටුවේ තත්පර 20 · 3 වන පැමිණීමේ සිට');
    await setLocale('am');
    expect(describeFrequency({ kind: 'days', days: 7 })).toBe('በ7 ቀናት አንድ ጊዜ');
  });
});
