import { useEffect, useState } from 'preact/hooks';
import type { Site, WidgetLanguage, WidgetSettings } from '@beckon/sdk/protocol';
import { WidgetPreview } from '@beckon/widget/preview';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Field, describedBy } from '../../components/Field';
import { CheckIcon } from '../../components/Icons';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../session';
import {
  cleanTranslations,
  colorSwatches,
  contrastText,
  languageNames,
  languages,
  normalizeHex,
  sameSettings,
  textFields,
  translationFields,
  validateSettings,
  type TranslationKey,
} from './settings';

import { t } from './i18n';

/** Catalogue keys of the text fields' labels; a field without one keeps its English label. */
const textLabels: Partial<
  Record<TranslationKey, 'textTitle' | 'textGreeting' | 'textChat' | 'textCallback' | 'textFeedback' | 'launcherLabel'>
> = {
  launcherLabel: 'launcherLabel',
  title: 'textTitle',
  greeting: 'textGreeting',
  chat: 'textChat',
  callback: 'textCallback',
  feedback: 'textFeedback',
};

export function AppearancePage({ site }: { site: Site }) {
  const { isAdmin, upsertSite } = useSession();
  const [draft, setDraft] = useState<WidgetSettings>(site.widget);
  const [hex, setHex] = useState(site.widget.color);
  const [open, setOpen] = useState(true);
  const [device, setDevice] = useState<'desktop' | 'phone'>('desktop');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  // The language whose texts the form edits and the preview shows (the default language edits `texts`).
  const [textLanguage, setTextLanguage] = useState<WidgetLanguage>(site.widget.language);
  const dirty = !sameSettings(draft, site.widget);
  const editingDefault = textLanguage === draft.language;

  // Another admin saved (site:updated) or we switched sites: follow the server unless we have edits.
  useEffect(() => {
    if (!dirty) {
      setDraft(site.widget);
      setHex(site.widget.color);
    }
  }, [site.widget]);

  useEffect(() => {
    setDraft(site.widget);
    setHex(site.widget.color);
    setFields({});
    setError(null);
  }, [site.id]);

  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(false), 2500);
    return () => clearTimeout(timer);
  }, [saved]);

  const update = (patch: Partial<WidgetSettings>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setSaved(false);
  };
  const updateText = (key: keyof WidgetSettings['texts'], value: string) => {
    setDraft((current) => ({ ...current, texts: { ...current.texts, [key]: value } }));
    setSaved(false);
  };
  const updateTranslation = (key: TranslationKey, value: string) => {
    setDraft((current) => ({
      ...current,
      translations: {
        ...current.translations,
        [textLanguage]: { ...current.translations?.[textLanguage], [key]: value },
      },
    }));
    setSaved(false);
  };
  const setColor = (value: string) => {
    setHex(value);
    const normalized = normalizeHex(value);
    if (normalized) update({ color: normalized });
  };

  const discard = () => {
    setDraft(site.widget);
    setHex(site.widget.color);
    setFields({});
    setError(null);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (!dirty || busy) return;
    const widget: WidgetSettings = {
      ...draft,
      launcherLabel: draft.launcherLabel.trim(),
      texts: Object.fromEntries(Object.entries(draft.texts).map(([k, v]) => [k, v.trim()])) as WidgetSettings['texts'],
      translations: cleanTranslations(draft.translations),
    };
    const local = validateSettings(widget);
    if (normalizeHex(hex) !== widget.color) local['widget.color'] = t('errColour');
    setFields(local);
    if (Object.keys(local).length) {
      setError(null);
      focusFirstInvalid(form);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateSite(site.id, { widget });
      upsertSite(updated);
      setDraft(updated.widget);
      setHex(updated.widget.color);
      setSaved(true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'validation_failed') {
        const errors = caught.fieldErrors();
        setFields(errors);
        if (!Object.keys(errors).some((path) => path.startsWith('widget.'))) setError(caught.message);
        else focusFirstInvalid(form);
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  const disabled = !isAdmin;
  const err = (path: string) => fields[`widget.${path}`];

  return (
    <div class="page">
      <PageHeader title={t('title')} description={t('description')} />
      <div class="appearance">
        <form class="appearance-form stack-lg" onSubmit={save} noValidate>
          {!isAdmin && <Alert tone="info">{t('adminsOnly')}</Alert>}
          {error && <Alert>{error}</Alert>}

          <fieldset class="card" disabled={disabled}>
            <legend class="card-title card-legend">{t('style')}</legend>
            <Field id="widget-color" label={t('colour')} error={err('color')}>
              <div class="color-row">
                <div class="swatches" role="radiogroup" aria-label={t('suggestedColours')}>
                  {colorSwatches.map((swatch) => (
                    <button
                      type="button"
                      key={swatch}
                      role="radio"
                      aria-checked={draft.color === swatch}
                      aria-label={swatch}
                      class="swatch"
                      style={{ background: swatch, color: contrastText(swatch) }}
                      onClick={() => setColor(swatch)}
                    >
                      {draft.color === swatch && <CheckIcon size={14} />}
                    </button>
                  ))}
                </div>
                <div class="color-input">
                  <input
                    type="color"
                    class="color-picker"
                    aria-label={t('pickColour')}
                    value={draft.color}
                    onInput={(e) => setColor(e.currentTarget.value)}
                  />
                  <input
                    id="widget-color"
                    class="input mono"
                    type="text"
                    maxLength={7}
                    spellcheck={false}
                    autocomplete="off"
                    value={hex}
                    onInput={(e) => setColor(e.currentTarget.value)}
                    onBlur={() => setHex(normalizeHex(hex) ?? draft.color)}
                    {...describedBy('widget-color', err('color'), false)}
                  />
                </div>
              </div>
            </Field>

            <fieldset class="field">
              <legend class="field-label">{t('position')}</legend>
              <div class="segmented" role="radiogroup">
                {(['bottom-left', 'bottom-right'] as const).map((position) => (
                  <label key={position} class={`segment${draft.position === position ? ' selected' : ''}`}>
                    <input
                      type="radio"
                      name="position"
                      value={position}
                      checked={draft.position === position}
                      onChange={() => update({ position })}
                    />
                    <span>{position === 'bottom-left' ? t('bottomLeft') : t('bottomRight')}</span>
                  </label>
                ))}
              </div>
            </fieldset>

            <Field
              id="widget-launcher"
              label={t('launcherLabel')}
              hint={t('launcherLabelHint')}
              error={err('launcherLabel')}
            >
              <input
                id="widget-launcher"
                class="input"
                type="text"
                maxLength={40}
                value={draft.launcherLabel}
                onInput={(e) => update({ launcherLabel: e.currentTarget.value })}
                {...describedBy('widget-launcher', err('launcherLabel'))}
              />
            </Field>

            <Field id="widget-language" label={t('language')} hint={t('languageHint')} error={err('language')}>
              <select
                id="widget-language"
                class="input select"
                value={draft.language}
                onChange={(e) => {
                  const language = e.currentTarget.value as WidgetLanguage;
                  if (editingDefault) setTextLanguage(language);
                  update({ language });
                }}
                {...describedBy('widget-language', err('language'))}
              >
                {languages.map((code) => (
                  <option key={code} value={code}>
                    {languageNames[code]}
                  </option>
                ))}
              </select>
            </Field>
            <label class="appearance-check">
              <input
                type="checkbox"
                checked={!!draft.auto}
                onChange={(e) => update({ auto: e.currentTarget.checked })}
              />
              <span>
                {t('autoLanguage')}
                <small class="field-hint">{t('autoLanguageHint', { count: languages.length })}</small>
              </span>
            </label>
          </fieldset>

          <fieldset class="card" disabled={disabled}>
            <legend class="card-title card-legend">{t('texts')}</legend>
            <Field
              id="widget-text-language"
              label={t('textLanguage')}
              hint={
                editingDefault
                  ? t('textLanguageDefaultHint')
                  : t('textLanguageOtherHint', { language: languageNames[textLanguage] })
              }
            >
              <select
                id="widget-text-language"
                class="input select"
                value={textLanguage}
                onChange={(e) => setTextLanguage(e.currentTarget.value as WidgetLanguage)}
              >
                {languages.map((code) => {
                  const given =
                    code !== draft.language &&
                    Object.values(draft.translations?.[code] ?? {}).some((value) => value?.trim());
                  return (
                    <option key={code} value={code}>
                      {languageNames[code]}
                      {code === draft.language
                        ? ` — ${t('optionDefault')}`
                        : given
                          ? ` — ${t('optionTranslated')}`
                          : ''}
                    </option>
                  );
                })}
              </select>
            </Field>
            {editingDefault
              ? textFields.map(({ key, label, max, multiline }) => (
                  <TextField
                    key={key}
                    id={`widget-text-${key}`}
                    label={textLabels[key] ? t(textLabels[key]) : label}
                    max={max}
                    multiline={multiline}
                    value={draft.texts[key]}
                    error={err(`texts.${key}`)}
                    onInput={(value) => updateText(key, value)}
                  />
                ))
              : translationFields.map(({ key, label, max, multiline }) => (
                  <TextField
                    key={`${textLanguage}-${key}`}
                    id={`widget-tr-${key}`}
                    label={textLabels[key] ? t(textLabels[key]) : label}
                    max={max}
                    multiline={multiline}
                    lang={textLanguage}
                    value={draft.translations?.[textLanguage]?.[key] ?? ''}
                    placeholder={key === 'launcherLabel' ? draft.launcherLabel : draft.texts[key]}
                    error={err(`translations.${textLanguage}.${key}`)}
                    onInput={(value) => updateTranslation(key, value)}
                  />
                ))}
          </fieldset>

          {isAdmin && (
            <div class={`save-bar${dirty || saved ? ' visible' : ''}`}>
              <span class="save-state" role="status">
                {saved ? (
                  <>
                    <CheckIcon size={16} /> {t('savedVisitors')}
                  </>
                ) : dirty ? (
                  t('unsaved')
                ) : (
                  ''
                )}
              </span>
              <div class="save-actions">
                <button type="button" class="btn btn-ghost" onClick={discard} disabled={!dirty || busy}>
                  {t('discard')}
                </button>
                <button type="submit" class="btn btn-primary" disabled={!dirty || busy}>
                  {busy ? t('saving') : t('saveChanges')}
                </button>
              </div>
            </div>
          )}
        </form>

        <section class="appearance-preview" aria-label={t('preview')}>
          <div class="preview-toolbar">
            <div class="segmented segmented-sm" role="group" aria-label={t('widgetState')}>
              <button
                type="button"
                class={`segment${!open ? ' selected' : ''}`}
                aria-pressed={!open}
                onClick={() => setOpen(false)}
              >
                {t('launcher')}
              </button>
              <button
                type="button"
                class={`segment${open ? ' selected' : ''}`}
                aria-pressed={open}
                onClick={() => setOpen(true)}
              >
                {t('openPanel')}
              </button>
            </div>
            <div class="segmented segmented-sm" role="group" aria-label={t('device')}>
              <button
                type="button"
                class={`segment${device === 'desktop' ? ' selected' : ''}`}
                aria-pressed={device === 'desktop'}
                onClick={() => setDevice('desktop')}
              >
                {t('desktop')}
              </button>
              <button
                type="button"
                class={`segment${device === 'phone' ? ' selected' : ''}`}
                aria-pressed={device === 'phone'}
                onClick={() => setDevice('phone')}
              >
                {t('phone')}
              </button>
            </div>
          </div>
          <div class={`browser browser-${device}`}>
            <div class="browser-bar" aria-hidden="true">
              <span class="browser-dots">
                <i />
                <i />
                <i />
              </span>
              <span class="browser-url">{previewHost(site)}</span>
            </div>
            <div class="browser-page">
              <FakePage />
              <div class="browser-widget">
                <WidgetPreview settings={draft} language={textLanguage} open={open} />
              </div>
            </div>
          </div>
        </section>
      </div>
    </div>
  );
}

/** After a failed save, take the user to the first field that needs attention (once it has re-rendered). */
function focusFirstInvalid(form: HTMLFormElement) {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

interface TextFieldProps {
  id: string;
  label: string;
  max: number;
  multiline?: boolean;
  value: string;
  placeholder?: string;
  lang?: string;
  error?: string;
  onInput(value: string): void;
}

function TextField({ id, label, max, multiline, value, placeholder, lang, error, onInput }: TextFieldProps) {
  const props = {
    id,
    class: multiline ? 'input textarea' : 'input',
    maxLength: max,
    value,
    placeholder,
    lang,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
    ...describedBy(id, error),
  };
  return (
    <Field id={id} label={label} error={error} hint={<Counter value={value} max={max} />}>
      {multiline ? <textarea rows={3} {...props} /> : <input type="text" {...props} />}
    </Field>
  );
}

function Counter({ value, max }: { value: string; max: number }) {
  const length = value.trim().length;
  return <span class={`counter${length > max * 0.9 ? ' near' : ''}`}>{`${length} / ${max}`}</span>;
}

function previewHost(site: Site): string {
  const first = site.allowedOrigins.find((origin) => !origin.includes('*'));
  return first ? first.replace(/^https?:\/\//, '') : `${site.key}.example.com`;
}

/** A neutral page sketch behind the widget so colours and placement read as they would on a real site. */
function FakePage() {
  return (
    <div class="fake-page" aria-hidden="true">
      <div class="fake-nav">
        <span class="fake-logo" />
        <span class="fake-link" />
        <span class="fake-link" />
        <span class="fake-link" />
      </div>
      <div class="fake-hero">
        <span class="fake-line fake-line-lg" />
        <span class="fake-line fake-line-md" />
        <span class="fake-line fake-line-sm" />
      </div>
      <div class="fake-cards">
        <span class="fake-card" />
        <span class="fake-card" />
        <span class="fake-card" />
      </div>
    </div>
  );
}
