import { useState } from 'preact/hooks';
import type { CallbackSettings, Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { describedBy, Field } from '../../components/Field';
import { CheckIcon } from '../../components/Icons';
import { useSession } from '../../session';
import { parsePrefixes } from './queue';

type NumberKey = 'countdownSeconds' | 'slaMinutes' | 'daysAhead' | 'minFormSeconds';
type LimitKey = keyof CallbackSettings['limits'];

/** Admins tune the promise to visitors, the SLA, the slots and the anti-abuse limits. */
export function CallbackSettingsCard({ site }: { site: Site }) {
  const { isAdmin, upsertSite } = useSession();
  const [draft, setDraft] = useState<CallbackSettings>(site.callbacks);
  const [prefixes, setPrefixes] = useState(site.callbacks.blockedPrefixes.join('\n'));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const update = (patch: Partial<CallbackSettings>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setSaved(false);
  };
  const number = (key: NumberKey, label: string, unit: string, hint: string) => (
    <Field id={`cb-${key}`} label={label} hint={hint} error={fields[`callbacks.${key}`]}>
      <div class="input-suffix">
        <input
          id={`cb-${key}`}
          class="input"
          type="number"
          inputMode="numeric"
          value={Number.isNaN(draft[key]) ? '' : draft[key]}
          onInput={(event) => update({ [key]: event.currentTarget.value === '' ? Number.NaN : Number(event.currentTarget.value) })}
          {...describedBy(`cb-${key}`, fields[`callbacks.${key}`])}
        />
        <span>{unit}</span>
      </div>
    </Field>
  );
  const limit = (key: LimitKey, label: string, unit: string) => (
    <Field id={`cb-${key}`} label={label} error={fields[`callbacks.limits.${key}`]}>
      <div class="input-suffix">
        <input
          id={`cb-${key}`}
          class="input"
          type="number"
          inputMode="numeric"
          value={Number.isNaN(draft.limits[key]) ? '' : draft.limits[key]}
          onInput={(event) => update({ limits: { ...draft.limits, [key]: event.currentTarget.value === '' ? Number.NaN : Number(event.currentTarget.value) } })}
          {...describedBy(`cb-${key}`, fields[`callbacks.limits.${key}`], false)}
        />
        <span>{unit}</span>
      </div>
    </Field>
  );

  async function save(event: Event) {
    event.preventDefault();
    const parsed = parsePrefixes(prefixes);
    if (parsed.invalid.length) {
      setFields({ 'callbacks.blockedPrefixes': `Not a number prefix: ${parsed.invalid.join(', ')} (write them like +1900)` });
      return;
    }
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const updated = await api.updateSite(site.id, { callbacks: { ...draft, blockedPrefixes: parsed.prefixes } });
      upsertSite(updated);
      setDraft(updated.callbacks);
      setPrefixes(updated.callbacks.blockedPrefixes.join('\n'));
      setSaved(true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'validation_failed') {
        setFields(caught.fieldErrors());
        setError('Please fix the highlighted fields.');
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card cb-settings" onSubmit={save} aria-labelledby="cb-settings-title">
      <div>
        <h2 id="cb-settings-title" class="card-title">
          Callback settings
        </h2>
        <p class="card-description">
          "Call me now" is offered while an agent is online inside the business hours set under Chat settings; otherwise visitors book a slot inside those hours.
          {!isAdmin && ' Only admins can change these.'}
        </p>
      </div>
      <fieldset class="cb-settings-grid" disabled={!isAdmin}>
        <label class="switch-row cb-settings-wide">
          <span class="switch">
            <input type="checkbox" role="switch" checked={draft.enabled} onChange={(event) => update({ enabled: event.currentTarget.checked })} />
            <span class="switch-track" aria-hidden="true" />
          </span>
          <span class="switch-text">
            <span class="switch-title">Callbacks in the widget</span>
            <span class="switch-description">Show "Call me back" on the panel and accept requests from the SDK.</span>
          </span>
        </label>
        {number('countdownSeconds', 'Promised call time', 'seconds', 'The countdown visitors see after "Call me now".')}
        {number('slaMinutes', 'Deadline for "now" requests', 'minutes', 'Past it a callback is flagged overdue, escalated and reassigned.')}
        <Field id="cb-slot" label="Slot length">
          <select id="cb-slot" class="input select" value={draft.slotMinutes} onChange={(event) => update({ slotMinutes: Number(event.currentTarget.value) as CallbackSettings['slotMinutes'] })}>
            <option value={15}>15 minutes</option>
            <option value={30}>30 minutes</option>
            <option value={60}>1 hour</option>
          </select>
        </Field>
        {number('daysAhead', 'Bookable ahead', 'days', 'How far ahead visitors can pick a time.')}
        {limit('perPhonePerDay', 'Requests per number', 'per day')}
        {limit('perIpPerHour', 'Requests per visitor address', 'per hour')}
        {limit('perSitePerHour', 'Requests for the whole site', 'per hour')}
        {number('minFormSeconds', 'Minimum time on the form', 'seconds', 'Faster submissions are treated as bots.')}
        <div class="cb-settings-wide">
          <Field
            id="cb-prefixes"
            label="Blocked number prefixes"
            optional
            hint="One per line, e.g. +1900 for premium-rate numbers. Requests for these numbers are refused."
            error={fields['callbacks.blockedPrefixes']}
          >
            <textarea id="cb-prefixes" class="input mono" rows={3} value={prefixes} onInput={(event) => (setPrefixes(event.currentTarget.value), setSaved(false))} {...describedBy('cb-prefixes', fields['callbacks.blockedPrefixes'])} />
          </Field>
        </div>
      </fieldset>
      {error && <Alert tone="error">{error}</Alert>}
      {isAdmin && (
        <div class="cb-settings-actions">
          <span class="save-state" role="status">
            {saved && (
              <>
                <CheckIcon size={16} /> Saved
              </>
            )}
          </span>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save callback settings'}
          </button>
        </div>
      )}
    </form>
  );
}
