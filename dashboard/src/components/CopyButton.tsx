import { useEffect, useState } from 'preact/hooks';
import { CheckIcon, CopyIcon } from './Icons';
import { t } from './i18n';

/** Copies `text`; says "Copied" for two seconds. Falls back to a hidden textarea where the clipboard API is missing (plain-http self-hosting). */
export function CopyButton({
  text,
  label = t('copy'),
  class: className = 'btn btn-secondary btn-sm',
}: {
  text: string;
  label?: string;
  class?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await copyText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <button type="button" class={className} onClick={copy} aria-live="polite">
      {state === 'copied' ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
      <span>{state === 'copied' ? t('copied') : state === 'failed' ? t('pressCtrlC') : label}</span>
    </button>
  );
}

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy failed');
}
