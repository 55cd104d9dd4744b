import { useState } from 'preact/hooks';
import { GlobeIcon, PlusIcon, TrashIcon } from '../../components/Icons';
import { addOrigins, originFormatHint, removeOrigin, withPendingOrigin } from './origins';
import { t } from './i18n';

/**
 * The text typed into the "add an origin" field, held by the form that saves the list: its Create or
 * Save takes a value typed without pressing Add (`take`) instead of silently dropping it.
 */
export function useOriginDraft(id: string) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  /** The list with the typed value in it, or null (with the error shown at the field) when it is not an origin. */
  const take = (origins: readonly string[]): string[] | null => {
    const result = withPendingOrigin(origins, draft);
    if (result.error) {
      setError(result.error);
      document.getElementById(id)?.focus();
      return null;
    }
    setDraft('');
    setError(null);
    return result.origins;
  };
  const reset = () => {
    setDraft('');
    setError(null);
  };
  return { id, draft, setDraft, error, setError, take, reset };
}
export type OriginDraft = ReturnType<typeof useOriginDraft>;

interface OriginsEditorProps {
  origins: string[];
  onChange: (origins: string[]) => void;
  /** The add field's state, from `useOriginDraft` in the form that saves. */
  pending: OriginDraft;
  /** Messages per row from the server (`allowedOrigins.N`). */
  rowErrors?: Map<number, string>;
  /** A message for the list as a whole. */
  listError?: string | null;
  readOnly?: boolean;
}

/** Add/remove list of allowed origins. Edits are local until the parent saves them. */
export function OriginsEditor({ origins, onChange, pending, rowErrors, listError, readOnly }: OriginsEditorProps) {
  const { id, draft, setDraft, error, setError } = pending;

  const add = () => {
    const result = addOrigins(origins, draft);
    if (result.error) {
      setError(result.error);
      return;
    }
    setError(null);
    setDraft('');
    onChange(result.origins);
  };

  return (
    <div class="origins">
      {origins.length === 0 ? (
        <p class="origins-empty">
          <GlobeIcon size={16} />
          <span>{t('noOrigins')}</span>
        </p>
      ) : (
        <ul class="origins-list" aria-label={t('allowedOrigins')}>
          {origins.map((origin, index) => {
            const rowError = rowErrors?.get(index);
            return (
              <li key={origin} class={`origin-row${rowError ? ' has-error' : ''}`}>
                <div class="origin-main">
                  <GlobeIcon size={16} class="origin-icon" />
                  <code class="origin-value">{origin}</code>
                  {origin.includes('://*.') && <span class="badge badge-neutral">{t('allSubdomains')}</span>}
                  {!readOnly && (
                    <button
                      type="button"
                      class="icon-button icon-button-sm origin-remove"
                      aria-label={t('removeOrigin', { origin })}
                      onClick={() => onChange(removeOrigin(origins, index))}
                    >
                      <TrashIcon size={16} />
                    </button>
                  )}
                </div>
                {rowError && (
                  <p class="field-error" role="alert">
                    {rowError}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {listError && (
        <p class="field-error" role="alert">
          {listError}
        </p>
      )}
      {!readOnly && (
        <div class="field">
          <label class="sr-only" for={id}>
            {t('addOrigin')}
          </label>
          <div class="input-row">
            <input
              id={id}
              class="input"
              type="text"
              inputMode="url"
              autocomplete="off"
              spellcheck={false}
              placeholder="https://shop.example.com"
              value={draft}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-msg`}
              onInput={(e) => {
                setDraft(e.currentTarget.value);
                if (error) setError(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  add();
                }
              }}
            />
            <button type="button" class="btn btn-secondary" onClick={add} disabled={!draft.trim()}>
              <PlusIcon size={16} />
              <span>{t('add')}</span>
            </button>
          </div>
          <p id={`${id}-msg`} class={error ? 'field-error' : 'field-hint'} role={error ? 'alert' : undefined}>
            {error ?? originFormatHint()}
          </p>
        </div>
      )}
    </div>
  );
}
