import { useEffect, useReducer } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api';
import { t } from './i18n';

/**
 * A settings page's form state: what the server has (`saved`), what the admin is editing (`draft`),
 * field errors keyed by path (`rules.0.name`, as the server's validation details), the page's error
 * and success lines, and whether a save is running. `draft` is null until the first load.
 */
export interface SettingsDraftState<T> {
  saved: T | null;
  draft: T | null;
  errors: Record<string, string>;
  error: string | null;
  notice: string | null;
  busy: boolean;
}

export type SettingsDraftAction<T> =
  | { type: 'loading' }
  | { type: 'loaded'; settings: T }
  | { type: 'failed'; error: string; errors?: Record<string, string> }
  | { type: 'edit'; patch: Partial<T> }
  | { type: 'invalid'; errors: Record<string, string> }
  | { type: 'saving' }
  | { type: 'saved'; settings: T; notice: string }
  | { type: 'discard' }
  | { type: 'error'; error: string | null };

export const initialSettingsDraft = <T>(): SettingsDraftState<T> => ({
  saved: null,
  draft: null,
  errors: {},
  error: null,
  notice: null,
  busy: false,
});

export function settingsDraftReducer<T>(
  state: SettingsDraftState<T>,
  action: SettingsDraftAction<T>,
): SettingsDraftState<T> {
  switch (action.type) {
    case 'loading':
      return { ...state, draft: null, error: null };
    case 'loaded':
      return { ...state, saved: action.settings, draft: action.settings };
    case 'failed':
      return { ...state, busy: false, error: action.error, errors: action.errors ?? state.errors };
    case 'edit':
      // Any change makes the last "Saved." stale.
      return state.draft ? { ...state, draft: { ...state.draft, ...action.patch }, notice: null } : state;
    case 'invalid':
      return { ...state, errors: action.errors, error: t('fixFields') };

    case 'saving':
      return { ...state, errors: {}, error: null, busy: true };
    case 'saved':
      // Also what the server answers for another change (e.g. applying learnt points): the form shows it as saved.
      return { ...state, saved: action.settings, draft: action.settings, notice: action.notice, busy: false };
    case 'discard':
      return { ...state, draft: state.saved, errors: {}, error: null };
    case 'error':
      return { ...state, error: action.error };
  }
}

/** Settings compared by value (key order as the server answers it, which drafts keep). */
export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface SettingsDraftOptions<T, L> {
  /** The site (or anything) whose settings these are: a change loads again. */
  key: string;
  load: () => Promise<L>;
  /** The editable settings in what `load` answered. */
  draftOf: (loaded: L) => T;
  /** The rest of what `load` answered (defaults, teams…), only for the current key. */
  onLoad?: (loaded: L) => void;
  /** Client-side checks before saving, keyed like the server's field errors. */
  validate: (draft: T) => Record<string, string>;
  /** Saves and answers the settings as now stored. */
  save: (draft: T) => Promise<T>;
  /** Shown after a save. */
  savedNotice: string;
  /** Whether two drafts mean the same settings (default: equal JSON). */
  same?: (a: T, b: T) => boolean;
}

/**
 * Load a site's settings, keep a draft, know whether it differs from what is stored, validate and save
 * it (the server's field errors land on the same keys as the local ones), or discard it. Used by the
 * Routing and Scoring pages, whose forms differ but whose lifecycle is the same.
 */
export function useSettingsDraft<T, L>(options: SettingsDraftOptions<T, L>) {
  const [state, dispatch] = useReducer<SettingsDraftState<T>, SettingsDraftAction<T>>(
    settingsDraftReducer,
    initialSettingsDraft<T>(),
  );
  const same = options.same ?? sameJson;

  useEffect(() => {
    let cancelled = false;
    dispatch({ type: 'loading' });
    options.load().then(
      (loaded) => {
        if (cancelled) return;
        dispatch({ type: 'loaded', settings: options.draftOf(loaded) });
        options.onLoad?.(loaded);
      },
      (caught: unknown) => !cancelled && dispatch({ type: 'failed', error: errorMessage(caught) }),
    );
    return () => {
      cancelled = true;
    };
  }, [options.key]);

  const { draft, saved } = state;
  const dirty = draft !== null && saved !== null && !same(draft, saved);

  const save = async (event?: Event) => {
    event?.preventDefault();
    if (state.busy || !dirty || !draft) return;
    const local = options.validate(draft);
    if (Object.keys(local).length > 0) return dispatch({ type: 'invalid', errors: local });
    dispatch({ type: 'saving' });
    try {
      dispatch({ type: 'saved', settings: await options.save(draft), notice: options.savedNotice });
    } catch (caught) {
      const errors =
        caught instanceof ApiError && caught.code === 'validation_failed' ? caught.fieldErrors() : undefined;
      dispatch({ type: 'failed', error: errorMessage(caught), ...(errors ? { errors } : {}) });
    }
  };

  return {
    ...state,
    dirty,
    edit: (patch: Partial<T>) => dispatch({ type: 'edit', patch }),
    save,
    discard: () => dispatch({ type: 'discard' }),
    /** Settings stored by another action than Save (the answer shown as saved, with its own notice). */
    replace: (settings: T, notice: string) => dispatch({ type: 'saved', settings, notice }),
    setError: (error: string | null) => dispatch({ type: 'error', error }),
  };
}
