import { useState } from 'preact/hooks';
import type { FeedbackKind, FeedbackSettings, Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { describedBy, Field } from '../../components/Field';
import { CheckIcon } from '../../components/Icons';
import { useSession } from '../../session';
import { kindLabels } from './report';

/** The questions the widget asks and when it offers the form. */
export function FeedbackSettingsCard({ site }: { site: Site }) {
  const { isAdmin, upsertSite } = useSession();
  const [draft, setDraft] = useState<FeedbackSettings>(site.feedback);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const update = (patch: Partial<FeedbackSettings>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setSaved(false);
  };

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const updated = await api.updateSite(site.id, { feedback: { ...draft, npsQuestion: draft.npsQuestion.trim(), csatQuestion: draft.csatQuestion.trim() } });
      upsertSite(updated);
      setDraft(updated.feedback);
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
    <form class="card" onSubmit={save} aria-labelledby="fb-settings-title">
      <div>
        <h2 id="fb-settings-title" class="card-title">
          Feedback settings
        </h2>
        <p class="card-description">What the widget's feedback form asks.{!isAdmin && ' Only admins can change these.'}</p>
      </div>
      <fieldset class="fb-settings-grid" disabled={!isAdmin}>
        <label class="switch-row">
          <span class="switch">
            <input type="checkbox" role="switch" checked={draft.enabled} onChange={(event) => update({ enabled: event.currentTarget.checked })} />
            <span class="switch-track" aria-hidden="true" />
          </span>
          <span class="switch-text">
            <span class="switch-title">Feedback in the widget</span>
            <span class="switch-description">Show "Leave feedback" on the panel and accept answers from the SDK.</span>
          </span>
        </label>
        <label class="switch-row">
          <span class="switch">
            <input type="checkbox" role="switch" checked={draft.afterChat} onChange={(event) => update({ afterChat: event.currentTarget.checked })} />
            <span class="switch-track" aria-hidden="true" />
          </span>
          <span class="switch-text">
            <span class="switch-title">Ask for an NPS after a chat</span>
            <span class="switch-description">Once the visitor has rated a closed chat, offer the NPS question in one click.</span>
          </span>
        </label>
        <Field id="fb-default" label="The panel's entry opens">
          <select id="fb-default" class="input select" value={draft.defaultKind} onChange={(event) => update({ defaultKind: event.currentTarget.value as FeedbackKind })}>
            {(Object.entries(kindLabels) as [FeedbackKind, string][]).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </Field>
        <Field id="fb-nps-q" label="NPS question" error={fields['feedback.npsQuestion']}>
          <input id="fb-nps-q" class="input" maxLength={200} value={draft.npsQuestion} onInput={(event) => update({ npsQuestion: event.currentTarget.value })} {...describedBy('fb-nps-q', fields['feedback.npsQuestion'], false)} />
        </Field>
        <Field id="fb-csat-q" label="CSAT question" error={fields['feedback.csatQuestion']}>
          <input id="fb-csat-q" class="input" maxLength={200} value={draft.csatQuestion} onInput={(event) => update({ csatQuestion: event.currentTarget.value })} {...describedBy('fb-csat-q', fields['feedback.csatQuestion'], false)} />
        </Field>
      </fieldset>
      {error && <Alert tone="error">{error}</Alert>}
      {isAdmin && (
        <div class="fb-settings-actions">
          <span class="save-state" role="status">
            {saved && (
              <>
                <CheckIcon size={16} /> Saved
              </>
            )}
          </span>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save feedback settings'}
          </button>
        </div>
      )}
    </form>
  );
}
