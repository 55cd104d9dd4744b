import { useEffect, useState } from 'preact/hooks';
import type { Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Dialog } from '../../components/Dialog';
import { Field, describedBy } from '../../components/Field';
import { OriginsEditor, useOriginDraft } from './OriginsEditor';
import { originErrors } from './origins';

type Template = Site['template'];

const templates: ReadonlyArray<{ value: Template; title: string; text: string }> = [
  { value: 'shop', title: 'Online shop', text: 'Product and cart pages, orders, quick callbacks.' },
  { value: 'b2b', title: 'B2B / services', text: 'Pricing and demo pages, longer sales conversations.' },
];

const keyPattern = /^[a-z0-9][a-z0-9_-]*$/i;

export function CreateSiteDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (site: Site) => void }) {
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

  const localKeyError = key && (!keyPattern.test(key) || key.length < 2) ? 'At least 2 characters: letters, digits, "-" and "_".' : undefined;
  const keyError = fields.key ?? localKeyError;
  const clearField = (name: string) => {
    if (fields[name]) setFields(({ [name]: _, ...rest }) => rest);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setFields({ name: 'Give the site a name.' });
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
        setFields({ key: key.trim() ? `The key "${key.trim()}" is already taken. Choose another one.` : caught.message });
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
    <Dialog open={open} onClose={onClose} title="New site" description="A site is one website where your widget runs.">
      <form class="stack" onSubmit={submit} noValidate>
        {error && <Alert>{error}</Alert>}
        <Field id="site-name" label="Name" error={fields.name}>
          <input
            id="site-name"
            class="input"
            type="text"
            required
            maxLength={80}
            placeholder="Acme Store"
            value={name}
            onInput={(e) => {
              setName(e.currentTarget.value);
              clearField('name');
            }}
            {...describedBy('site-name', fields.name, false)}
          />
        </Field>
        <Field
          id="site-key"
          label="Site key"
          optional
          hint="Appears in your snippet as data-site and cannot be changed later. Leave empty and Beckon picks one."
          error={keyError}
        >
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
          <legend class="field-label">Template</legend>
          <div class="choice-grid">
            {templates.map((t) => (
              <label key={t.value} class={`choice${template === t.value ? ' selected' : ''}`}>
                <input
                  type="radio"
                  name="template"
                  value={t.value}
                  checked={template === t.value}
                  onChange={() => setTemplate(t.value)}
                />
                <span class="choice-title">{t.title}</span>
                <span class="choice-text">{t.text}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset class="field">
          <legend class="field-label">
            Allowed origins<span class="field-optional">Optional</span>
          </legend>
          <OriginsEditor origins={origins} onChange={setOrigins} pending={pending} rowErrors={rows} listError={list} />
        </fieldset>
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create site'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
