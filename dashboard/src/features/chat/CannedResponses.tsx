import { useEffect, useState } from 'preact/hooks';
import type { Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage, type CannedResponse } from '../../api';
import { Alert } from '../../components/Alert';
import { Field, describedBy } from '../../components/Field';
import { PlusIcon, TrashIcon, ZapIcon } from '../../components/Icons';
import { Spinner } from '../../components/PageHeader';
import { MAX_MESSAGE_LENGTH } from '../inbox';

const shortcutPattern = /^[\w-]+$/;

/** Saved replies for this site: any agent may add or delete them; `/shortcut` in the composer inserts one. */
export function CannedResponses({ site }: { site: Site }) {
  const [list, setList] = useState<CannedResponse[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [shortcut, setShortcut] = useState('');
  const [text, setText] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setList(null);
    api.listCannedResponses(site.id).then(
      (items) => !cancelled && setList(items),
      (caught: unknown) => !cancelled && setLoadError(errorMessage(caught)),
    );
    return () => {
      cancelled = true;
    };
  }, [site.id]);

  const add = async (event: Event) => {
    event.preventDefault();
    const cleanShortcut = shortcut.trim().replace(/^\//, '');
    const cleanText = text.trim();
    const local: Record<string, string> = {};
    if (!cleanShortcut) local.shortcut = 'Choose a shortcut, like shipping.';
    else if (!shortcutPattern.test(cleanShortcut)) local.shortcut = 'Letters, digits, "-" and "_" only.';
    else if (cleanShortcut.length > 40) local.shortcut = 'At most 40 characters.';
    if (!cleanText) local.text = 'Write the response.';
    setFields(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(null);
    try {
      const created = await api.createCannedResponse(site.id, { shortcut: cleanShortcut, text: cleanText });
      setList((items) => [...(items ?? []), created].sort((a, b) => a.shortcut.localeCompare(b.shortcut)));
      setShortcut('');
      setText('');
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'conflict') setFields({ shortcut: `/${cleanShortcut} exists already.` });
      else if (caught instanceof ApiError && caught.code === 'validation_failed') setFields(caught.fieldErrors());
      else setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (item: CannedResponse) => {
    setDeleting(item.id);
    setError(null);
    try {
      await api.deleteCannedResponse(site.id, item.id);
      setList((items) => (items ?? []).filter((x) => x.id !== item.id));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404) setList((items) => (items ?? []).filter((x) => x.id !== item.id));
      else setError(errorMessage(caught));
    } finally {
      setDeleting(null);
    }
  };

  return (
    <section class="card" id="canned" aria-labelledby="canned-title">
      <div>
        <h2 class="card-title" id="canned-title">
          <ZapIcon size={16} /> Canned responses
        </h2>
        <p class="card-description">
          Answers you give often. Type <code>/</code> in the inbox composer, then the shortcut, to insert one. Shared by everyone on this site.
        </p>
      </div>

      {error && <Alert>{error}</Alert>}
      {loadError && <Alert>Could not load canned responses: {loadError}</Alert>}

      {list === null ? (
        !loadError && <Spinner label="Loading canned responses" />
      ) : list.length === 0 ? (
        <p class="origins-empty">No canned responses yet. Add the first one below.</p>
      ) : (
        <ul class="canned-manage">
          {list.map((item) => (
            <li key={item.id} class="canned-manage-row">
              <code class="canned-shortcut">/{item.shortcut}</code>
              <p class="canned-manage-text">{item.text}</p>
              <button
                type="button"
                class="icon-button icon-button-sm origin-remove"
                aria-label={`Delete /${item.shortcut}`}
                disabled={deleting === item.id}
                onClick={() => void remove(item)}
              >
                <TrashIcon size={15} />
              </button>
            </li>
          ))}
        </ul>
      )}

      <form class="canned-add" onSubmit={add} noValidate>
        <Field id="canned-shortcut" label="Shortcut" error={fields.shortcut}>
          <div class="input-prefix">
            <span aria-hidden="true">/</span>
            <input
              id="canned-shortcut"
              class="input"
              type="text"
              maxLength={41}
              autocomplete="off"
              spellcheck={false}
              placeholder="shipping"
              value={shortcut}
              onInput={(event) => setShortcut(event.currentTarget.value)}
              {...describedBy('canned-shortcut', fields.shortcut, false)}
            />
          </div>
        </Field>
        <Field id="canned-text" label="Response" error={fields.text}>
          <textarea
            id="canned-text"
            class="input textarea"
            rows={3}
            maxLength={MAX_MESSAGE_LENGTH}
            placeholder="We ship within 2 working days; you get a tracking link by e-mail."
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
            {...describedBy('canned-text', fields.text, false)}
          />
        </Field>
        <div class="canned-add-actions">
          <button type="submit" class="btn btn-secondary" disabled={busy}>
            <PlusIcon size={16} />
            <span>{busy ? 'Adding…' : 'Add response'}</span>
          </button>
        </div>
      </form>
    </section>
  );
}
