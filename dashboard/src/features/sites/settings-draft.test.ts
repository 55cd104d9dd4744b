import { describe, expect, it } from 'vitest';
import {
  initialSettingsDraft,
  settingsDraftReducer,
  type SettingsDraftAction,
  type SettingsDraftState,
} from './settings-draft';

type Settings = { hot: number; warm: number };
const run = (
  actions: SettingsDraftAction<Settings>[],
  state: SettingsDraftState<Settings> = initialSettingsDraft<Settings>(),
) => actions.reduce(settingsDraftReducer<Settings>, state);

describe('settings draft', () => {
  it('loads into both saved and draft; edits change the draft only and clear the last notice', () => {
    const loaded = run([{ type: 'loading' }, { type: 'loaded', settings: { hot: 70, warm: 30 } }]);
    expect(loaded).toMatchObject({ saved: { hot: 70, warm: 30 }, draft: { hot: 70, warm: 30 }, busy: false });
    const edited = run(
      [
        { type: 'saved', settings: { hot: 70, warm: 30 }, notice: 'Saved.' },
        { type: 'edit', patch: { hot: 80 } },
      ],
      loaded,
    );
    expect(edited).toMatchObject({ saved: { hot: 70, warm: 30 }, draft: { hot: 80, warm: 30 }, notice: null });
    // Before the first load there is nothing to edit.
    expect(run([{ type: 'edit', patch: { hot: 1 } }]).draft).toBeNull();
  });

  it('local errors block the save; the server answer becomes saved and draft; a failure keeps the draft and shows its field errors', () => {
    const editing = run([
      { type: 'loaded', settings: { hot: 70, warm: 30 } },
      { type: 'edit', patch: { warm: 90 } },
    ]);
    const invalid = run([{ type: 'invalid', errors: { warm: 'below hot' } }], editing);
    expect(invalid).toMatchObject({
      errors: { warm: 'below hot' },
      error: 'Please fix the highlighted fields.',
      busy: false,
    });
    const saving = run([{ type: 'saving' }], invalid);
    expect(saving).toMatchObject({ errors: {}, error: null, busy: true });
    const failed = run([{ type: 'failed', error: 'Invalid input', errors: { 'rules.0.label': 'Required' } }], saving);
    expect(failed).toMatchObject({
      busy: false,
      error: 'Invalid input',
      errors: { 'rules.0.label': 'Required' },
      draft: { hot: 70, warm: 90 },
    });
    // A failure without field errors (network, conflict) keeps the ones shown.
    expect(run([{ type: 'failed', error: 'Offline' }], failed).errors).toEqual({ 'rules.0.label': 'Required' });
    const saved = run(
      [{ type: 'saving' }, { type: 'saved', settings: { hot: 70, warm: 40 }, notice: 'Saved.' }],
      failed,
    );
    expect(saved).toMatchObject({
      saved: { hot: 70, warm: 40 },
      draft: { hot: 70, warm: 40 },
      notice: 'Saved.',
      busy: false,
      error: null,
    });
  });

  it('discard goes back to what is stored and clears the errors; a new key empties the draft until it loads', () => {
    const dirty = run([
      { type: 'loaded', settings: { hot: 70, warm: 30 } },
      { type: 'edit', patch: { hot: 10 } },
      { type: 'invalid', errors: { hot: 'too low' } },
    ]);
    expect(run([{ type: 'discard' }], dirty)).toMatchObject({ draft: { hot: 70, warm: 30 }, errors: {}, error: null });
    expect(run([{ type: 'loading' }], dirty)).toMatchObject({ draft: null, error: null });
    expect(run([{ type: 'error', error: 'Team in use' }], dirty).error).toBe('Team in use');
  });
});
