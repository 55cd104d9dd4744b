import { useState } from 'preact/hooks';
import type { FeedbackKind, FeedbackSettings, Site, WidgetLanguage } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { describedBy, Field } from '../../components/Field';
import { CheckIcon } from '../../components/Icons';
import { useSession } from '../../session';
import { LanguageTabs } from '../../components/LanguageTabs';
import { cleanTranslations, isTranslated, languageWithError, withTranslation } from '../../lib/site-languages';
import { t } from './i18n';
import { kindLabels } from './report';

const questionKeys = ['npsQuestion', 'csatQuestion'] as const;
type QuestionKey = (typeof questionKeys)[number];

/** The questions the widget asks (in each visitor language) and when it offers the form. */
export function FeedbackSettingsCard({ site }: { site: Site }) {
  const { isAdmin, upsertSite } = useSession();
  const [draft, setDraft] = useState<FeedbackSettings>(site.feedback);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  // The language whose questions the form edits (the site's default language edits the defaults).
  const defaultLanguage = site.widget.language;
  const [language, setLanguage] = useState<WidgetLanguage>(defaultLanguage);
  const editingDefault = language === defaultLanguage;
  const update = (patch: Partial<FeedbackSettings>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setSaved(false);
  };
  /** A question in the language being edited ('' = that language asks the default one). */
  const question = (key: QuestionKey) => (editingDefault ? draft[key] : (draft.translations?.[language]?.[key] ?? ''));
  const setQuestion = (key: QuestionKey, value: string) =>
    update(
      editingDefault ? { [key]: value } : { translations: withTranslation(draft.translations, language, key, value) },
    );
  const questionError = (key: QuestionKey) =>
    fields[editingDefault ? `feedback.${key}` : `feedback.translations.${language}.${key}`];
  const questionProps = (key: QuestionKey) => (editingDefault ? {} : { lang: language, placeholder: draft[key] });

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const updated = await api.updateSite(site.id, {
        feedback: {
          ...draft,
          npsQuestion: draft.npsQuestion.trim(),
          csatQuestion: draft.csatQuestion.trim(),
          translations: cleanTranslations(draft.translations, questionKeys, defaultLanguage),
        },
      });
      upsertSite(updated);
      setDraft(updated.feedback);
      setSaved(true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'validation_failed') {
        const errors = caught.fieldErrors();
        setFields(errors);
        const wrong = languageWithError(errors, 'feedback.');
        if (wrong && !errors['feedback.npsQuestion'] && !errors['feedback.csatQuestion']) setLanguage(wrong);
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
        <div class="fb-questions">
          <LanguageTabs
            label={t('questionsLanguage')}
            defaultLanguage={defaultLanguage}
            value={language}
            onChange={setLanguage}
            translated={(code) => isTranslated(draft.translations, code)}
          />
          <Field id="fb-nps-q" label={t('npsQuestion')} error={questionError('npsQuestion')}>
            <input
              key={`nps-${language}`}
              id="fb-nps-q"
              class="input"
              maxLength={200}
              value={question('npsQuestion')}
              {...questionProps('npsQuestion')}
              onInput={(event) => setQuestion('npsQuestion', event.currentTarget.value)}
              {...describedBy('fb-nps-q', questionError('npsQuestion'), false)}
            />
          </Field>
          <Field id="fb-csat-q" label={t('csatQuestion')} error={questionError('csatQuestion')}>
            <input
              key={`csat-${language}`}
              id="fb-csat-q"
              class="input"
              maxLength={200}
              value={question('csatQuestion')}
              {...questionProps('csatQuestion')}
              onInput={(event) => setQuestion('csatQuestion', event.currentTarget.value)}
              {...describedBy('fb-csat-q', questionError('csatQuestion'), false)}
            />
          </Field>
        </div>
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
