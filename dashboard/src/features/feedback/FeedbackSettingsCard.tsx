import { useState } from 'preact/hooks';
import type { FeedbackKind, FeedbackSettings, Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { describedBy, Field } from '../../components/Field';
import { CheckIcon } from '../../components/Icons';
import { useSession } from '../../session';
import { t } from './i18n';
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
      const updated = await api.updateSite(site.id, {
        feedback: { ...draft, npsQuestion: draft.npsQuestion.trim(), csatQuestion: draft.csatQuestion.trim() },
      });
      upsertSite(updated);
      setDraft(updated.feedback);
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
    <form class="card" onSubmit={save} aria-labelledby="fb-settings-title">
      <div>
        <h2 id="fb-settings-title" class="card-title">
          {t('settings')}
        </h2>
        <p class="card-description">
          {t('settingsHint')}
          {!isAdmin && ` ${t('adminsOnly')}`}
        </p>
      </div>
      <fieldset class="fb-settings-grid" disabled={!isAdmin}>
        <label class="switch-row">
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
            <span class="switch-title">{t('inWidget')}</span>
            <span class="switch-description">{t('inWidgetHint')}</span>
          </span>
        </label>
        <label class="switch-row">
          <span class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={draft.afterChat}
              onChange={(event) => update({ afterChat: event.currentTarget.checked })}
            />
            <span class="switch-track" aria-hidden="true" />
          </span>
          <span class="switch-text">
            <span class="switch-title">{t('afterChat')}</span>
            <span class="switch-description">{t('afterChatHint')}</span>
          </span>
        </label>
        <Field id="fb-default" label={t('entryOpens')}>
          <select
            id="fb-default"
            class="input select"
            value={draft.defaultKind}
            onChange={(event) => update({ defaultKind: event.currentTarget.value as FeedbackKind })}
          >
            {(Object.keys(kindLabels) as FeedbackKind[]).map((value) => (
              <option value={value}>{t(kindLabels[value])}</option>
            ))}
          </select>
        </Field>
        <Field id="fb-nps-q" label={t('npsQuestion')} error={fields['feedback.npsQuestion']}>
          <input
            id="fb-nps-q"
            class="input"
            maxLength={200}
            value={draft.npsQuestion}
            onInput={(event) => update({ npsQuestion: event.currentTarget.value })}
            {...describedBy('fb-nps-q', fields['feedback.npsQuestion'], false)}
          />
        </Field>
        <Field id="fb-csat-q" label={t('csatQuestion')} error={fields['feedback.csatQuestion']}>
          <input
            id="fb-csat-q"
            class="input"
            maxLength={200}
            value={draft.csatQuestion}
            onInput={(event) => update({ csatQuestion: event.currentTarget.value })}
            {...describedBy('fb-csat-q', fields['feedback.csatQuestion'], false)}
          />
        </Field>
      </fieldset>
      {error && <Alert tone="error">{error}</Alert>}
      {isAdmin && (
        <div class="fb-settings-actions">
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
