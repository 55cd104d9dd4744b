import type { ComponentChildren } from 'preact';
import { t } from './i18n';

interface FieldProps {
  /** Id of the control inside, so the label points at it. */
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string | undefined;
  optional?: boolean;
  children: ComponentChildren;
}

/** Label, control, hint and error in one consistent block; the control references both by id. */
export function Field({ id, label, hint, error, optional, children }: FieldProps) {
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label class="field-label" for={id}>
        {label}
        {optional && <span class="field-optional">{t('optional')}</span>}
      </label>
      {children}
      {error ? (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : (
        hint && (
          <p class="field-hint" id={`${id}-hint`}>
            {hint}
          </p>
        )
      )}
    </div>
  );
}

/** `aria-describedby` / `aria-invalid` for a control inside `<Field>`. */
export function describedBy(id: string, error: string | undefined, hasHint = true) {
  return {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : hasHint ? `${id}-hint` : undefined,
  };
}
