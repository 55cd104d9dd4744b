import { useEffect, useState } from 'preact/hooks';
import type {
  ConsentSettings,
  IdentitySecretStatus,
  PrivacyAuditEntry,
  PrivacySettings,
  Site,
  VisitorErasure,
  WidgetLanguage,
} from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Field, describedBy } from '../../components/Field';
import { CheckIcon } from '../../components/Icons';
import { PageHeader } from '../../components/PageHeader';
import { LanguageTabs } from '../../components/LanguageTabs';
import { cleanTranslations, isTranslated, languageWithError, withTranslation } from '../../lib/site-languages';
import { useSession } from '../../session';
import { formatDate } from '../../lib/i18n';
import { consentModeChoices, erasureConfirmed, privacySubject, sameJson, validatePrivacyDraft } from './consent';
import { t } from './i18n';

const promptKeys = ['title', 'body', 'acceptAll', 'rejectAll', 'analyticsOnly'] as const;
type PromptKey = (typeof promptKeys)[number];

/** Consent mode and prompt, verified identity, retention, and visitor export/erasure with its audit. */
export function PrivacyPage({ site }: { site: Site }) {
  const { isAdmin } = useSession();
  const [descriptionBefore, descriptionAfter] = t('description', { site: '\u0000' }).split('\u0000');
  return (
    <div class="page">
      <PageHeader
        title={t('title')}
        description={
          <>
            {descriptionBefore}
            <strong>{site.name}</strong>
            {descriptionAfter}
          </>
        }
      />
      {!isAdmin && <Alert tone="info">{t('adminsOnly')}</Alert>}
      <div class="page-grid">
        <div class="stack-lg">
          <SettingsForm site={site} editable={isAdmin} />
        </div>
        <aside class="stack">
          {isAdmin && <IdentityCard site={site} />}
          {isAdmin && <VisitorDataCard site={site} />}
        </aside>
      </div>
    </div>
  );
}

function SettingsForm({ site, editable }: { site: Site; editable: boolean }) {
  const { upsertSite } = useSession();
  const [consent, setConsent] = useState<ConsentSettings>(site.consent);
  const [privacy, setPrivacy] = useState<PrivacySettings>(site.privacy);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const dirty = !sameJson(consent, site.consent) || !sameJson(privacy, site.privacy);
  const reset = () => {
    setConsent(site.consent);
    setPrivacy(site.privacy);
    setFields({});
    setError(null);
  };
  useEffect(reset, [site.id]);
  useEffect(() => {
    if (!dirty) reset();
  }, [site.consent, site.privacy]);

  const update = (patch: Partial<ConsentSettings>) => {
    setConsent((c) => ({ ...c, ...patch }));
    setSaved(false);
  };
  // The language whose prompt texts the form edits (the site's default language edits the defaults).
  const defaultLanguage = site.widget.language;
  const [language, setLanguage] = useState<WidgetLanguage>(defaultLanguage);
  useEffect(() => setLanguage(site.widget.language), [site.id]);
  const editingDefault = language === defaultLanguage;
  /** A prompt text in the language being edited ('' = that language shows the default). */
  const textOf = (key: PromptKey) =>
    editingDefault ? consent.prompt.texts[key] : (consent.prompt.translations?.[language]?.[key] ?? '');
  const setText = (key: PromptKey, value: string) =>
    update({
      prompt: editingDefault
        ? { ...consent.prompt, texts: { ...consent.prompt.texts, [key]: value } }
        : { ...consent.prompt, translations: withTranslation(consent.prompt.translations, language, key, value) },
    });
  const textError = (key: PromptKey) =>
    fields[editingDefault ? `consent.prompt.texts.${key}` : `consent.prompt.translations.${language}.${key}`];
  const textProps = (key: PromptKey) =>
    editingDefault ? {} : { lang: language, placeholder: consent.prompt.texts[key] };

  const save = async (event: Event) => {
    event.preventDefault();
    const local = validatePrivacyDraft(consent, privacy);
    setFields(local);
    if (Object.keys(local).length) {
      setError(t('fixFields'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateSite(site.id, {
        consent: {
          ...consent,
          policyVersion: consent.policyVersion.trim(),
          prompt: {
            ...consent.prompt,
            translations: cleanTranslations(consent.prompt.translations, promptKeys, defaultLanguage),
          },
        },
        privacy,
      });
      upsertSite(updated);
      setConsent(updated.consent);
      setSaved(true);
    } catch (caught) {
      if (caught instanceof ApiError) {
        const errors = caught.fieldErrors();
        setFields(errors);
        const wrong = languageWithError(errors, 'consent.prompt.');
        if (wrong) setLanguage(wrong);
      }
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const err = (path: string) => fields[path];
  const texts: Array<[PromptKey, string, number]> = [
    ['title', t('promptTitle'), 80],
    ['acceptAll', t('acceptButton'), 40],
    ['rejectAll', t('rejectButton'), 40],
    ['analyticsOnly', t('analyticsButton'), 40],
  ];
  const [identityBefore, identityMiddle, identityAfter] = t('requireIdentityHint', {
    identify: '\u0000',
    userHash: '\u0000',
  }).split('\u0000');

  return (
    <form class="stack-lg" onSubmit={save} noValidate>
      {error && <Alert>{error}</Alert>}
      <fieldset class="card" disabled={!editable}>
        <legend class="card-title card-legend">{t('consentMode')}</legend>
        <div class="choice-grid choice-grid-3" role="radiogroup" aria-label={t('consentMode')}>
          {consentModeChoices.map(({ mode, title, text }) => (
            <label key={mode} class={`choice${consent.mode === mode ? ' selected' : ''}`}>
              <input
                type="radio"
                name="consent-mode"
                checked={consent.mode === mode}
                onChange={() => update({ mode })}
              />
              <span class="choice-title">{t(title)}</span>
              <span class="choice-text">{t(text)}</span>
            </label>
          ))}
        </div>
        <label class="switch-row">
          <span class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={consent.honourDnt}
              onChange={(e) => update({ honourDnt: e.currentTarget.checked })}
            />
            <span class="switch-track" aria-hidden="true" />
          </span>
          <span class="switch-text">
            <span class="switch-title">{t('honourDnt')}</span>
            <span class="switch-description">{t('honourDntHint')}</span>
          </span>
        </label>
      </fieldset>

      <fieldset class="card" disabled={!editable}>
        <legend class="card-title card-legend">{t('consentPrompt')}</legend>
        <label class="switch-row">
          <span class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={consent.prompt.enabled}
              onChange={(e) => update({ prompt: { ...consent.prompt, enabled: e.currentTarget.checked } })}
            />
            <span class="switch-track" aria-hidden="true" />
          </span>
          <span class="switch-text">
            <span class="switch-title">{t('showPrompt')}</span>
            <span class="switch-description">{t('showPromptHint')}</span>
          </span>
        </label>
        {consent.prompt.enabled && (
          <div class="stack">
            <LanguageTabs
              label={t('promptLanguage')}
              defaultLanguage={defaultLanguage}
              value={language}
              onChange={setLanguage}
              translated={(code) => isTranslated(consent.prompt.translations, code)}
            />
            <Field id="prompt-body" label={t('promptText')} error={textError('body')}>
              <textarea
                key={`body-${language}`}
                id="prompt-body"
                class="input textarea"
                rows={3}
                maxLength={600}
                value={textOf('body')}
                {...textProps('body')}
                onInput={(e) => setText('body', e.currentTarget.value)}
                {...describedBy('prompt-body', textError('body'), false)}
              />
            </Field>
            <div class="form-grid-2">
              {texts.map(([key, label, max]) => (
                <Field key={key} id={`prompt-${key}`} label={label} error={textError(key)}>
                  <input
                    key={`${key}-${language}`}
                    id={`prompt-${key}`}
                    class="input"
                    maxLength={max}
                    value={textOf(key)}
                    {...textProps(key)}
                    onInput={(e) => setText(key, e.currentTarget.value)}
                    {...describedBy(`prompt-${key}`, textError(key), false)}
                  />
                </Field>
              ))}
            </div>
            <Field id="prompt-policy" label={t('policyLink')} optional error={err('consent.prompt.policyUrl')}>
              <input
                id="prompt-policy"
                class="input"
                type="url"
                placeholder="https://shop.example/privacy"
                value={consent.prompt.policyUrl ?? ''}
                onInput={(e) => {
                  const { policyUrl: _old, ...rest } = consent.prompt;
                  const value = e.currentTarget.value.trim();
                  update({ prompt: value ? { ...rest, policyUrl: value } : rest });
                }}
              />
            </Field>
          </div>
        )}
        <Field
          id="policy-version"
          label={t('policyVersion')}
          hint={t('policyVersionHint')}
          error={err('consent.policyVersion')}
        >
          <input
            id="policy-version"
            class="input mono input-narrow"
            maxLength={40}
            value={consent.policyVersion}
            onInput={(e) => update({ policyVersion: e.currentTarget.value })}
          />
        </Field>
      </fieldset>

      <fieldset class="card" disabled={!editable}>
        <legend class="card-title card-legend">{t('identityRetention')}</legend>
        <label class="switch-row">
          <span class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={consent.requireVerifiedIdentity}
              onChange={(e) => update({ requireVerifiedIdentity: e.currentTarget.checked })}
            />
            <span class="switch-track" aria-hidden="true" />
          </span>
          <span class="switch-text">
            <span class="switch-title">{t('requireIdentity')}</span>
            <span class="switch-description">
              {identityBefore}
              <code>identify</code>
              {identityMiddle}
              <code>userHash</code>
              {identityAfter}
            </span>
          </span>
        </label>
        <Field id="retention" label={t('keepEvents')} hint={t('keepEventsHint')} error={err('privacy.retentionDays')}>
          <div class="input-suffix input-narrow">
            <input
              id="retention"
              class="input"
              type="number"
              min={1}
              max={3650}
              value={privacy.retentionDays ?? ''}
              onInput={(e) => {
                const text = e.currentTarget.value;
                setPrivacy({ retentionDays: text === '' ? null : Number(text) });
                setSaved(false);
              }}
            />
            <span>{t('days')}</span>
          </div>
        </Field>
      </fieldset>

      {editable && (
        <div class={`save-bar${dirty || saved ? ' visible' : ''}`}>
          <span class="save-state" role="status">
            {saved ? (
              <>
                <CheckIcon size={16} /> {t('savedLoader')}
              </>
            ) : dirty ? (
              t('unsaved')
            ) : (
              ''
            )}
          </span>
          <div class="save-actions">
            <button type="button" class="btn btn-ghost" onClick={reset} disabled={!dirty || busy}>
              {t('discard')}
            </button>
            <button type="submit" class="btn btn-primary" disabled={!dirty || busy}>
              {busy ? t('saving') : t('saveChanges')}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}

function IdentityCard({ site }: { site: Site }) {
  const [status, setStatus] = useState<IdentitySecretStatus | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setSecret(null);
    api.identitySecretStatus(site.id).then(setStatus, (caught) => setError(errorMessage(caught)));
  }, [site.id]);

  const rotate = async () => {
    if (status?.configured && !confirm(t('rotateConfirm'))) return;
    setBusy(true);
    try {
      const rotated = await api.rotateIdentitySecret(site.id);
      setSecret(rotated.secret);
      setStatus({ configured: true, rotatedAt: rotated.rotatedAt });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const [formulaBefore, formulaAfter] = t('identitySecretHint', { formula: '\u0000' }).split('\u0000');
  return (
    <section class="card stack" aria-labelledby="identity-title">
      <h2 class="card-title" id="identity-title">
        {t('identitySecret')}
      </h2>
      <p class="card-description">
        {formulaBefore}
        <code>userHash = HMAC-SHA256(secret, userId)</code>
        {formulaAfter}
      </p>
      {error && <Alert>{error}</Alert>}
      {secret ? (
        <div class="secret-once" role="status">
          <p>{t('copyNow')}</p>
          <code class="secret-value">{secret}</code>
          <CopyButton text={secret} label={t('copySecret')} />
        </div>
      ) : (
        <p class="muted">
          {status === null
            ? t('loading')
            : status.configured
              ? status.rotatedAt
                ? t('setOn', { date: formatDate(status.rotatedAt, { dateStyle: 'medium' }) })
                : t('set')
              : t('notGenerated')}
        </p>
      )}
      <div>
        <button
          type="button"
          class="btn btn-secondary"
          disabled={busy || status === null}
          onClick={() => void rotate()}
        >
          {status?.configured ? t('rotateSecret') : t('generateSecret')}
        </button>
      </div>
    </section>
  );
}

function VisitorDataCard({ site }: { site: Site }) {
  const [visitorId, setVisitorId] = useState('');
  const [confirmText, setConfirmText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [erased, setErased] = useState<VisitorErasure | null>(null);
  const [audit, setAudit] = useState<PrivacyAuditEntry[]>([]);
  const [busy, setBusy] = useState(false);
  const loadAudit = () => api.privacyAudit(site.id).then(setAudit, () => {});
  useEffect(() => void loadAudit(), [site.id]);

  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const subject = privacySubject(visitorId)!;
      const data =
        'visitorId' in subject
          ? await api.exportVisitor(site.id, subject.visitorId)
          : await api.privacyRequest(site.id, { action: 'export', ...subject });
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = Object.assign(document.createElement('a'), {
        href: url,
        download: `beckon-${data.visitorId.replace(':', '-')}.json`,
      });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      await loadAudit();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const erase = async () => {
    setBusy(true);
    setError(null);
    try {
      const subject = privacySubject(visitorId)!;
      setErased(
        'visitorId' in subject
          ? await api.eraseVisitor(site.id, subject.visitorId)
          : await api.privacyRequest(site.id, { action: 'erase', ...subject }),
      );
      setConfirmText('');
      await loadAudit();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const total = erased ? Object.values(erased.deleted).reduce((a, b) => a + b, 0) : 0;

  return (
    <section class="card stack" aria-labelledby="visitor-data-title">
      <h2 class="card-title" id="visitor-data-title">
        {t('personData')}
      </h2>
      <p class="card-description">{t('personDataHint')}</p>
      {error && <Alert>{error}</Alert>}
      {erased && <Alert tone="success">{t('erasedRecords', { count: total })}</Alert>}
      <Field id="privacy-visitor" label={t('personField')} hint={t('personFieldHint')}>
        <input
          id="privacy-visitor"
          class="input"
          value={visitorId}
          maxLength={254}
          onInput={(e) => setVisitorId(e.currentTarget.value)}
        />
      </Field>
      <div class="button-row">
        <button
          type="button"
          class="btn btn-secondary"
          disabled={busy || !visitorId.trim()}
          onClick={() => void download()}
        >
          {t('exportJson')}
        </button>
      </div>
      <Field id="privacy-confirm" label={t('typeAgain')} hint={t('cannotUndo')}>
        <input
          id="privacy-confirm"
          class="input"
          value={confirmText}
          maxLength={254}
          onInput={(e) => setConfirmText(e.currentTarget.value)}
        />
      </Field>
      <div class="button-row">
        <button
          type="button"
          class="btn btn-danger"
          disabled={busy || !erasureConfirmed(visitorId, confirmText)}
          onClick={() => void erase()}
        >
          {t('erasePerson')}
        </button>
      </div>
      {audit.length > 0 && (
        <div class="privacy-audit">
          <h3 class="subheading">{t('audit')}</h3>
          <ul>
            {audit.slice(0, 8).map((entry) => (
              <li key={entry.id}>
                <span class={`badge ${entry.action === 'erase' ? 'badge-danger' : 'badge-neutral'}`}>
                  {entry.action === 'erase' ? t('erased') : t('exported')}
                </span>{' '}
                <code>{entry.visitorId}</code>
                <span class="muted">
                  {' '}
                  · {entry.agentEmail ?? t('removedAgent')} ·{' '}
                  {formatDate(entry.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
