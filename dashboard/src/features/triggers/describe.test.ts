import { describe, expect, it } from 'vitest';
import { describeConditions, describeFrequency, draftToInput, emptyDraft, hasCondition } from './describe';

describe('trigger descriptions', () => {
  it('lists every condition in one line, in a fixed order', () => {
    expect(describeConditions({ url: '*pricing*', exitIntent: true, timeOnPage: 20 })).toBe('Exit intent · 20 s on the page · page *pricing*');
    expect(describeConditions({ visit: 2, hot: true, utmSource: 'newsletter', scroll: 75 })).toBe('scrolled 75 % · returning visitor · utm_source = newsletter · became hot');
    expect(describeFrequency({ kind: 'days', days: 7 })).toBe('Once per 7 days');
    expect(describeFrequency({ kind: 'session' })).toBe('Once per session');
  });

  it('turns a draft into a request body with only the conditions switched on', () => {
    const draft = { ...emptyDraft(), name: ' Leaving pricing ', url: { on: true, value: ' *pricing* ' }, scroll: { on: false, value: 50 } };
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
});
