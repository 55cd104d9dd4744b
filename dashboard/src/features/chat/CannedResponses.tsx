import { useEffect, useState } from 'preact/hooks';
import type { Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage, type CannedResponse } from '../../api';
import { Alert } from '../../components/Alert';
import { Field, describedBy } from '../../components/Field';
import { PlusIcon, TrashIcon, ZapIcon } from '../../components/Icons';
import { Spinner } from '../../components/PageHeader';
import { MAX_MESSAGE_LENGTH } from '../inbox';
import { rich } from '../../lib/i18n/rich';
import { t } from './i18n';

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
    if (!cleanShortcut) local.shortcut = t('errShortcutMissing');
    else if (!shortcutPattern.test(cleanShortcut)) local.shortcut = t('errShortcutChars');
    else if (cleanShortcut.length > 40) local.shortcut = t('errShortcutLength');
    if (!cleanText) local.text = t('errTextMissing');
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
      if (caught instanceof ApiError && caught.code === 'conflict')
        setFields({ shortcut: t('errShortcutExists', { shortcut: cleanShortcut }) });
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
      if (caught instanceof ApiError && caught.status === 404)
        setList((items) => (items ?? []).filter((x) => x.id !== item.id));
      else setError(errorMessage(caught));
    } finally {
      setDeleting(null);
    }
  };

  return (
    <section class="card" id="canned" aria-labelledby="canned-title">
      <div>
        <h2 class="card-title" id="canned-title">
          <ZapIcon size={16} /> {t('cannedTitle')}
        </h2>
        <p class="card-description">{rich(t('cannedHelp'), { slash: <code>/</code> })}</p>
      </div>

      {error && <Alert>{error}</Alert>}
      {loadError && <Alert>{t('cannedLoadFailed', { error: loadError })}</Alert>}

      {list === null ? (
        !loadError && <Spinner label={t('cannedLoading')} />
      ) : list.length === 0 ? (
        <p class="origins-empty">{t('cannedEmpty')}</p>
      ) : (
        <ul class="canned-manage">
          {list.map((item) => (
            <li key={item.id} class="canned-manage-row">
              <code class="canned-shortcut">/{item.shortcut}</code>
              <p class="canned-manage-text">{item.text}</p>
              <button
                type="button"
                class="icon-button icon-button-sm origin-remove"
                aria-label={t('deleteShortcut', { shortcut: item.shortcut })}
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
        <Field id="canned-shortcut" label={t('shortcut')} error={fields.shortcut}>
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
        <Field id="canned-text" label={t('response')} error={fields.text}>
          <textarea
            id="canned-text"
            class="input textarea"
            rows={3}
            maxLength={MAX_MESSAGE_LENGTH}
            placeholder={t('responsePlaceholder')}
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
            {...describedBy('canned-text', fields.text, false)}
          />
        </Field>
        <div class="canned-add-actions">
          <button type="submit" class="btn btn-secondary" disabled={busy}>
            <PlusIcon size={16} />
            <span>{busy ? t('adding') : t('addResponse')}</span>
          </button>
        </div>
      </form>
    </section>
  );
}
