import { useEffect, useState } from 'preact/hooks';
import type { ApiKey, ApiKeyAuditEntry, ApiKeyList, ApiScope, Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { CodeIcon, PlusIcon } from '../../components/Icons';
import { EmptyState, PageHeader, Spinner } from '../../components/PageHeader';
import { fullTime, shortTime, withLocalTimes } from '../../lib/format';
import { rich } from '../../lib/i18n/rich';
import { ApiReferenceLink } from '../api-reference';
import { t } from './i18n';
import { auditSentences, scopeDescription, scopeList, statusLabel } from './scopes';

/** Admin only: keys for CRMs and scripts. A new key's secret is shown once, in a dialog, and never again. */
export function ApiKeysPage({ site, sites }: { site: Site; sites: Site[] }) {
  const [data, setData] = useState<ApiKeyList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ apiKey: ApiKey; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const reload = () => api.listApiKeys().then(setData, (caught: unknown) => setError(errorMessage(caught)));
  useEffect(() => void reload(), []);

  const siteName = (id: string) => sites.find((s) => s.id === id)?.name ?? t('deletedSite');
  const now = Date.now();

  return (
    <div class="page page-wide">
      <PageHeader
        title={t('title')}
        description={
          <>
            {rich(t('description'), { api: <code>/api</code> })} <ApiReferenceLink site={site} />
          </>
        }
        actions={
          <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
            <PlusIcon size={16} />
            <span>{t('createKey')}</span>
          </button>
        }
      />
      {error && <Alert>{t('loadFailed', { error })}</Alert>}
      {!data && !error && (
        <div class="card">
          <Spinner label={t('loading')} />
        </div>
      )}
      {data && data.apiKeys.length === 0 && (
        <div class="card">
          <EmptyState icon={<CodeIcon size={22} />} title={t('noKeys')}>
            {rich(t('noKeysHint'), { header: <code>Authorization: Bearer …</code> })}
          </EmptyState>
        </div>
      )}
      {data && data.apiKeys.length > 0 && (
        <div class="card card-flush table-scroll">
          <table class="table api-keys-table">
            <caption class="sr-only">{t('title')}</caption>
            <thead>
              <tr>
                <th scope="col" class="col-key">
                  {t('key')}
                </th>
                <th scope="col" class="col-scopes">
                  {t('scopes')}
                </th>
                <th scope="col" class="col-sites">
                  {t('sites')}
                </th>
                <th scope="col" class="col-used">
                  {t('lastUsed')}
                </th>
                <th scope="col" class="col-status">
                  {t('status')}
                </th>
                <th scope="col" class="col-actions">
                  <span class="sr-only">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.apiKeys.map((key) => (
                <tr key={key.id} data-testid="api-key-row">
                  <td class="col-key">
                    <div class="api-key-name">{key.name}</div>
                    <div class="muted mono api-key-prefix">{key.prefix}…</div>
                    <div class="muted api-key-meta">
                      {rich(t('createdBy'), {
                        name: key.createdBy?.name ?? t('removedAdmin'),
                        time: <time title={fullTime(key.createdAt)}>{shortTime(key.createdAt, now)}</time>,
                      })}
                      {key.expiresAt && <> · {t('expires', { date: fullTime(key.expiresAt) })}</>}
                    </div>
                  </td>
                  <td class="col-scopes" data-label={t('scopes')}>
                    <span class="api-key-scopes">
                      {key.scopes.map((scope) => (
                        <span class="badge badge-neutral mono" key={scope} title={scopeDescription(scope)}>
                          {scope}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td class="col-sites" data-label={t('sites')}>
                    {key.siteIds ? key.siteIds.map(siteName).join(', ') : <span class="muted">{t('allSites')}</span>}
                  </td>
                  <td class="col-used" data-label={t('lastUsed')}>
                    {key.lastUsedAt ? (
                      <>
                        <time title={fullTime(key.lastUsedAt)}>{shortTime(key.lastUsedAt, now)}</time>
                        {key.lastUsedNetwork && <div class="muted mono api-key-meta">{key.lastUsedNetwork}</div>}
                      </>
                    ) : (
                      <span class="muted">{t('never')}</span>
                    )}
                  </td>
                  <td class="col-status" data-label={t('status')}>
                    <span class={`status ${key.status === 'active' ? 'status-active' : 'status-invited'}`}>
                      <span class="status-dot" aria-hidden="true" />
                      {statusLabel(key.status)}
                    </span>
                  </td>
                  <td class="col-actions">
                    {key.status === 'active' && (
                      <button
                        type="button"
                        class="btn btn-ghost btn-sm btn-danger-text"
                        onClick={() => setRevoking(key)}
                      >
                        {t('revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.audit.length > 0 && (
        <section class="card api-key-audit" aria-labelledby="api-key-audit-title">
          <h2 id="api-key-audit-title" class="card-title">
            {t('auditLog')}
          </h2>
          <ul class="api-key-audit-list">
            {data.audit.slice(0, 20).map((entry) => (
              <li key={entry.id}>
                <time class="muted" title={fullTime(entry.createdAt)}>
                  {shortTime(entry.createdAt, now)}
                </time>
                <span>
                  {rich(t(auditSentences[entry.action]), {
                    who: <strong>{entry.by?.name ?? t('someone')}</strong>,
                    key: <span class="mono">{entry.keyPrefix}</span>,
                  })}{' '}
                  <span class="muted">
                    {auditDetail(
                      entry,
                      data.apiKeys.find((key) => key.id === entry.keyId),
                      siteName,
                    )}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <CreateKeyDialog
        open={creating}
        site={site}
        sites={sites}
        onClose={() => setCreating(false)}
        onCreated={(result) => {
          setCreating(false);
          setCreated(result);
          void reload();
        }}
      />
      <Dialog
        open={created !== null}
        title={t('copyTitle')}
        description={t('copyDescription')}
        onClose={() => setCreated(null)}
      >
        {created && (
          <div class="stack">
            <code class="api-key-secret" data-testid="api-key-secret">
              {created.secret}
            </code>
            <div class="dialog-actions">
              <CopyButton text={created.secret} label={t('copyKey')} class="btn btn-secondary" />
              <button type="button" class="btn btn-primary" onClick={() => setCreated(null)}>
                {t('done')}
              </button>
            </div>
          </div>
        )}
      </Dialog>
      <Dialog
        open={revoking !== null}
        title={t('revokeTitle')}
        description={t('revokeDescription')}
        onClose={() => setRevoking(null)}
      >
        {revoking && (
          <RevokeForm
            apiKey={revoking}
            onDone={() => {
              setRevoking(null);
              void reload();
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

/**
 * What an audit line adds after its sentence: the key's name and, for a creation, its scopes, sites and expiry,
 * worded here from the key (a key never changes after creation, only its revocation). The server's English
 * detail only for a key no longer listed.
 */
function auditDetail(entry: ApiKeyAuditEntry, key: ApiKey | undefined, siteName: (id: string) => string): string {
  if (!key) return withLocalTimes(entry.detail);
  const name = `"${key.name}"`;
  if (entry.action === 'revoked') return name;
  const parts = [key.scopes.join(', '), key.siteIds ? key.siteIds.map(siteName).join(', ') : t('allSites')];
  if (key.expiresAt) parts.push(t('expires', { date: fullTime(key.expiresAt) }));
  return `${name}: ${parts.join(' · ')}`;
}

function RevokeForm({ apiKey, onDone }: { apiKey: ApiKey; onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    setBusy(true);
    try {
      await api.revokeApiKey(apiKey.id);
      onDone();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <div class="stack">
      <p>
        <strong>{apiKey.name}</strong> <span class="mono muted">{apiKey.prefix}…</span>
      </p>
      {error && <Alert>{error}</Alert>}
      <div class="dialog-actions">
        <button type="button" class="btn btn-secondary" onClick={onDone}>
          {t('cancel')}
        </button>
        <button type="button" class="btn btn-danger" disabled={busy} onClick={revoke}>
          {busy ? t('revoking') : t('revokeKey')}
        </button>
      </div>
    </div>
  );
}

function CreateKeyDialog({
  open,
  site,
  sites,
  onClose,
  onCreated,
}: {
  open: boolean;
  site: Site;
  sites: Site[];
  onClose: () => void;
  onCreated: (result: { apiKey: ApiKey; secret: string }) => void;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['leads:read']);
  const [allSites, setAllSites] = useState(false);
  const [siteIds, setSiteIds] = useState<string[]>([site.id]);
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    setName('');
    setScopes(['leads:read']);
    setAllSites(false);
    setSiteIds([site.id]);
    setExpires('');
    setErrors({});
    setError(null);
  }, [open, site.id]);

  const toggle = <T,>(list: T[], value: T) =>
    list.includes(value) ? list.filter((item) => item !== value) : [...list, value];

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setErrors({});
    setError(null);
    try {
      onCreated(
        await api.createApiKey({
          name,
          scopes,
          siteIds: allSites ? null : siteIds,
          expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
        }),
      );
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'validation_failed') {
        const fields = caught.fieldErrors();
        setErrors(fields);
        if (Object.keys(fields).length === 0) setError(errorMessage(caught));
      } else setError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog open={open} title={t('createTitle')} description={t('createDescription')} onClose={onClose} size="lg">
      <form class="stack" onSubmit={submit} noValidate>
        <label class="field">
          <span class="field-label">{t('name')}</span>
          <input
            class="input"
            required
            maxLength={100}
            placeholder={t('namePlaceholder')}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={Boolean(errors.name)}
          />
          {errors.name && <span class="field-error">{errors.name}</span>}
        </label>
        <fieldset class="field api-key-choices">
          <legend class="field-label">{t('scopes')}</legend>
          {scopeList.map((scope) => (
            <label class="api-key-choice" key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={() => setScopes((list) => toggle(list, scope))}
              />
              <span>
                <span class="mono">{scope}</span>
                <span class="muted">{scopeDescription(scope)}</span>
              </span>
            </label>
          ))}
          {errors.scopes && <span class="field-error">{errors.scopes}</span>}
        </fieldset>
        <fieldset class="field api-key-choices">
          <legend class="field-label">{t('sites')}</legend>
          <label class="api-key-choice">
            <input type="checkbox" checked={allSites} onChange={() => setAllSites((value) => !value)} />
            <span>
              <span>{t('allSites')}</span>
              <span class="muted">{t('allSitesHint')}</span>
            </span>
          </label>
          {!allSites &&
            sites.map((item) => (
              <label class="api-key-choice" key={item.id}>
                <input
                  type="checkbox"
                  checked={siteIds.includes(item.id)}
                  onChange={() => setSiteIds((list) => toggle(list, item.id))}
                />
                <span>{item.name}</span>
              </label>
            ))}
        </fieldset>
        <label class="field">
          <span class="field-label">
            {t('expiresLabel')} <span class="field-optional">{t('optional')}</span>
          </span>
          <input
            class="input api-key-expiry"
            type="date"
            value={expires}
            onInput={(e) => setExpires(e.currentTarget.value)}
            aria-invalid={Boolean(errors.expiresAt)}
          />
          {errors.expiresAt && <span class="field-error">{errors.expiresAt}</span>}
        </label>
        {error && <Alert>{error}</Alert>}
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('cancel')}
          </button>
          <button
            type="submit"
            class="btn btn-primary"
            disabled={saving || scopes.length === 0 || (!allSites && siteIds.length === 0) || !name.trim()}
          >
            {saving ? t('creating') : t('createKey')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
