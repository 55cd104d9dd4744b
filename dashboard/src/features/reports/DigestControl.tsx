import { useEffect, useState } from 'preact/hooks';
import type { DigestFrequency } from '@beckon/sdk/protocol';
import { digestFrequencies } from '@beckon/sdk/protocol/constants';
import { errorMessage } from '../../api';
import { getDigest, saveDigest } from './api';
import { agentTimeZone } from './range';
import { t } from './i18n';

const frequencyKeys = {
  off: 'digestOff',
  daily: 'digestDaily',
  weekly: 'digestWeekly',
} as const satisfies Record<DigestFrequency, string>;

/**
 * An admin's digest email choice (off, daily around 07:00, weekly on Mondays), in their own time zone:
 * saved on change, with the outcome said next to it.
 */
export function DigestControl() {
  const [frequency, setFrequency] = useState<DigestFrequency | null>(null);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({
    kind: 'idle',
  });
  useEffect(() => {
    getDigest().then(
      (settings) => setFrequency(settings.frequency),
      (caught: unknown) => setState({ kind: 'error', message: errorMessage(caught) }),
    );
  }, []);
  const change = (next: DigestFrequency) => {
    const before = frequency;
    setFrequency(next);
    setState({ kind: 'saving' });
    saveDigest({ frequency: next, tz: agentTimeZone() }).then(
      (settings) => {
        setFrequency(settings.frequency);
        setState({ kind: 'saved' });
      },
      (caught: unknown) => {
        setFrequency(before);
        setState({ kind: 'error', message: errorMessage(caught) });
      },
    );
  };
  return (
    <div class="rp-digest">
      <label class="rp-field">
        <span class="rp-field-label">{t('digest')}</span>
        <select
          class="input select"
          value={frequency ?? ''}
          disabled={frequency === null || state.kind === 'saving'}
          aria-describedby="rp-digest-state"
          onChange={(event) => change(event.currentTarget.value as DigestFrequency)}
        >
          {frequency === null && <option value="">…</option>}
          {digestFrequencies.map((value) => (
            <option key={value} value={value}>
              {t(frequencyKeys[value])}
            </option>
          ))}
        </select>
      </label>
      <span id="rp-digest-state" class={`rp-digest-state${state.kind === 'error' ? ' rp-bad' : ''}`} role="status">
        {state.kind === 'saved' ? t('digestSaved') : state.kind === 'error' ? state.message : ''}
      </span>
    </div>
  );
}
