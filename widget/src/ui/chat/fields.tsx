import type { JSX } from 'preact';
import type { ChatStrings } from '../i18n/index.js';
import type { ChatModule } from './session.js';

/**
 * The chat's form fields: the pre-chat questions in the chat view, and the offline message and transcript cards
 * of the lazily imported extras chunk (`cards.tsx`), which takes them from the UI chunk.
 */
export type Field = 'name' | 'email' | 'phone';
export type Answers = Partial<Record<Field | 'text', string>>;
export type Errors = Partial<Record<Field | 'text', string>>;

export const fields: Field[] = ['name', 'email', 'phone'];
const inputTypes = { name: 'text', email: 'email', phone: 'tel' } as const;
const autocomplete = { name: 'name', email: 'email', phone: 'tel' } as const;
const maxLengths = { name: 100, email: 254, phone: 40 } as const;
export function validate(
  answers: Answers,
  modes: Partial<Record<Field, string>>,
  strings: ChatStrings,
  chat: ChatModule,
): Errors {
  const errors: Errors = {};
  for (const field of fields) {
    const value = answers[field]?.trim() ?? '';
    if (!modes[field] || modes[field] === 'off') continue;
    if (!value && modes[field] === 'required') errors[field] = strings.required;
    else if (value && field === 'email' && !chat.emailPattern.test(value)) errors[field] = strings.badEmail;
  }
  return errors;
}

/** Text inputs at 16 px (iOS zooms into anything smaller), labelled, with their error tied to them. */
export function Input(props: {
  id: string;
  field: Field | 'text';
  label: string;
  mode: string;
  strings: ChatStrings;
  answers: Answers;
  errors: Errors;
  onInput(field: Field | 'text', value: string): void;
}) {
  const { id, field, label, mode, strings, answers, errors, onInput } = props;
  const error = errors[field];
  const shared = {
    id,
    class: 'bk-in',
    name: field,
    value: answers[field] ?? '',
    required: mode === 'required',
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-e` : undefined,
    onInput: (event: JSX.TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      onInput(field, event.currentTarget.value),
  };
  return (
    <div class="bk-field">
      <label for={id}>
        {label}
        {mode === 'optional' && <span class="bk-opt"> ({strings.optional})</span>}
      </label>
      {field === 'text' ? (
        <textarea {...shared} rows={4} />
      ) : (
        <input {...shared} type={inputTypes[field]} autocomplete={autocomplete[field]} maxLength={maxLengths[field]} />
      )}
      {error && (
        <p id={`${id}-e`} class="bk-err">
          {error}
        </p>
      )}
    </div>
  );
}
