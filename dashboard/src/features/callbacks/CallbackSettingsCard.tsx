import { useState } from 'preact/hooks';
import type { CallbackSettings, Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { describedBy, Field } from '../../components/Field';
import { CheckIcon } from '../../components/Icons';
import { useSession } from '../../session';
import { parsePrefixes } from './queue';
import { t } from './i18n';

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
          onInput={(event) =>
            update({ [key]: event.currentTarget.value === '' ? Number.NaN : Number(event.currentTarget.value) })
          }
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
          onInput={(event) =>
            update({
              limits: {
                ...draft.limits,
                [key]: event.currentTarget.value === '' ? Number.NaN : Number(event.currentTarget.value),
              },
            })
          }
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
      setFields({ 'callbacks.blockedPrefixes': t('invalidPrefixes', { prefixes: parsed.invalid.join(', ') }) });
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
        setError(t('fixFields'));
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
          {t('settingsTitle')}
        </h2>
        <p class="card-description">
          {t('settingsDescription')}
          {!isAdmin && t('onlyAdmins')}
        </p>
      </div>
      <fieldset class="cb-settings-grid" disabled={!isAdmin}>
        <label class="switch-row cb-settings-wide">
          <span class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={draft.enabled}
              onChange={(event) => update({ enabled: event.currentTarget.checked })}
            />
            <span class="switch-track" aria-hidden="true" />
          </span>
          <span class="switch-text">
            <span class="switch-title">{t('widgetCallbacks')}</span>
            <span class="switch-description">{t('widgetCallbacksHint')}</span>
          </span>
        </label>
        {number('countdownSeconds', t('promisedTime'), t('unitSeconds'), t('promisedTimeHint'))}
        {number('slaMinutes', t('deadlineNow'), t('unitMinutes'), t('deadlineNowHint'))}
        <Field id="cb-slot" label={t('slotLength')}>
          <select
            id="cb-slot"
            class="input select"
            value={draft.slotMinutes}
            onChange={(event) =>
              update({ slotMinutes: Number(event.currentTarget.value) as CallbackSettings['slotMinutes'] })
            }
          >
            <option value={15}>{t('minutes15')}</option>
            <option value={30}>{t('minutes30')}</option>
            <option value={60}>{t('hour1')}</option>
          </select>
        </Field>
        {number('daysAhead', t('bookableAhead'), t('unitDays'), t('bookableAheadHint'))}
        {limit('perPhonePerDay', t('perNumber'), t('unitPerDay'))}
        {limit('perIpPerHour', t('perAddress'), t('unitPerHour'))}
        {limit('perSitePerHour', t('perSite'), t('unitPerHour'))}
        {number('minFormSeconds', t('minFormTime'), t('unitSeconds'), t('minFormTimeHint'))}
        <div class="cb-settings-wide">
          <Field
            id="cb-prefixes"
            label={t('blockedPrefixes')}
            optional
            hint={t('blockedPrefixesHint')}
            error={fields['callbacks.blockedPrefixes']}
          >
            <textarea
              id="cb-prefixes"
              class="input mono"
              rows={3}
              value={prefixes}
              onInput={(event) => (setPrefixes(event.currentTarget.value), setSaved(false))}
              {...describedBy('cb-prefixes', fields['callbacks.blockedPrefixes'])}
            />
          </Field>
        </div>
      </fieldset>
      {error && <Alert tone="error">{error}</Alert>}
      {isAdmin && (
        <div class="cb-settings-actions">
          <span class="save-state" role="status">
            {saved && (
              <>
                <CheckIcon size={16} /> {t('saved')}
              </>
            )}
          </span>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('saving') : t('saveSettings')}
          </button>
        </div>
      )}
    </form>
  );
}
