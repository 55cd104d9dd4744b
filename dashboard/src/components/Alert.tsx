import type { ComponentChildren } from 'preact';
import { AlertIcon, CheckIcon } from './Icons';
import './Alert.css';

/** An inline banner for form-level errors and confirmations. */
export function Alert({
  tone = 'error',
  children,
}: {
  tone?: 'error' | 'success' | 'info';
  children: ComponentChildren;
}) {
  return (
    <div class={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {tone === 'success' ? <CheckIcon size={16} /> : <AlertIcon size={16} />}
      <div>{children}</div>
    </div>
  );
}
