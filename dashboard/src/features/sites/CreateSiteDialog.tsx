import { useEffect, useState } from 'preact/hooks';
import type { Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Dialog } from '../../components/Dialog';
import { Field, describedBy } from '../../components/Field';
import { OriginsEditor, useOriginDraft } from './OriginsEditor';
import { originErrors } from './origins';
import { t } from './i18n';

type Template = Site['template'];

/** Each template with the catalogue keys of its title and text. */
const templates = [
  { value: 'shop', title: 'templateShop', text: 'templateShopText' },
  { value: 'b2b', title: 'templateB2b', text: 'templateB2bText' },
] as const satisfies ReadonlyArray<{ value: Template; title: string; text: string }>;

const keyPattern = /^[a-z0-9][a-z0-9_-]*$/i;

export function CreateSiteDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (site: Site) => void;
}) {
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [template, setTemplate] = useState<Template>('shop');
  const [origins, setOrigins] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const pending = useOriginDraft('site-origin');

  useEffect(() => {
    if (!open) return;
    setName('');
    setKey('');
    setTemplate('shop');
    setOrigins([]);
    pending.reset();
    setError(null);
    setFields({});
  }, [open]);

  const localKeyError = key && (!keyPattern.test(key) || key.length < 2) ? t('keyFormat') : undefined;
  const keyError = fields.key ?? localKeyError;
  const clearField = (name: string) => {
    if (fields[name]) setFields(({ [name]: _, ...rest }) => rest);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setFields({ name: t('nameRequired') });
      return;
    }
    if (localKeyError) return;
    // An origin typed without pressing Add is added, or the dialog stays open and says why.
    const allowedOrigins = pending.take(origins);
    if (!allowedOrigins) return;
    setOrigins(allowedOrigins);
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const site = await api.createSite({
        name: name.trim(),
        template,
        allowedOrigins,
        ...(key.trim() ? { key: key.trim() } : {}),
      });
      onCreated(site);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'conflict') {
        setFields({ key: key.trim() ? t('keyTaken', { key: key.trim() }) : caught.message });
      } else if (caught instanceof ApiError && caught.code === 'validation_failed') {
        const errors = caught.fieldErrors();
        setFields(errors);
        if (Object.keys(errors).every((path) => path === '')) setError(caught.message);
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  const { rows, list } = originErrors(fields);

  return (
    <Dialog open={open} onClose={onClose} title={t('newSite')} description={t('newSiteDescription')}>
      <form class="stack" onSubmit={submit} noValidate>
        {error && <Alert>{error}</Alert>}
        <Field id="site-name" label={t('name')} error={fields.name}>
          <input
            id="site-name"
            class="input"
            type="text"
            required
            maxLength={80}
            placeholder={t('namePlaceholder')}
            value={name}
            onInput={(e) => {
              setName(e.currentTarget.value);
              clearField('name');
            }}
            {...describedBy('site-name', fields.name, false)}
          />
        </Field>
        <Field id="site-key" label={t('siteKey')} optional hint={t('siteKeyHint')} error={keyError}>
          <input
            id="site-key"
            class="input mono"
            type="text"
            maxLength={64}
            spellcheck={false}
            autocomplete="off"
            placeholder="acme-store"
            value={key}
            onInput={(e) => {
              setKey(e.currentTarget.value.trim());
              clearField('key');
            }}
            {...describedBy('site-key', keyError)}
          />
        </Field>
        <fieldset class="field">
          <legend class="field-label">{t('template')}</legend>
          <div class="choice-grid">
            {templates.map((choice) => (
              <label key={choice.value} class={`choice${template === choice.value ? ' selected' : ''}`}>
                <input
                  type="radio"
                  name="template"
                  value={choice.value}
                  checked={template === choice.value}
                  onChange={() => setTemplate(choice.value)}
                />
                <span class="choice-title">{t(choice.title)}</span>
                <span class="choice-text">{t(choice.text)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset class="field">
          <legend class="field-label">
            {t('allowedOrigins')}
            <span class="field-optional">{t('optional')}</span>
          </legend>
          <OriginsEditor origins={origins} onChange={setOrigins} pending={pending} rowErrors={rows} listError={list} />
        </fieldset>
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('creating') : t('createSite')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
