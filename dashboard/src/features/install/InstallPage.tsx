import { useEffect, useRef, useState } from 'preact/hooks';
import type { Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { ExternalLinkIcon, ShieldIcon } from '../../components/Icons';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../session';
import { OriginsEditor, useOriginDraft } from '../sites';
import { originErrors, sameOrigins } from '../sites';
import { InstallHealthCard } from './InstallHealthCard';
import { formatDate } from '../../lib/i18n';
import { t } from './i18n';
import { embedSnippet, queueStubSnippet } from './snippet';

/** A message with one `{marker}` split around it, so code or bold text can go in its place. */
const around = (text: string) => text.split('\u0000') as [string, string?];

export function InstallPage({ site }: { site: Site }) {
  const origin = window.location.origin;
  const snippet = embedSnippet(origin, site.key);
  const [descriptionBefore, descriptionAfter] = around(t('description', { site: '\u0000' }));
  const [pasteBefore, pasteAfter] = around(t('addSnippetHint', { tag: '\u0000' }));
  const [queueBefore, queueMiddle, queueAfter] = t('queueHint', { identify: '\u0000', track: '\u0000' }).split(
    '\u0000',
  );

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
      <div class="page-grid">
        <div class="stack-lg">
          <section class="card" aria-labelledby="snippet-title">
            <div class="card-header">
              <div>
                <h2 class="card-title" id="snippet-title">
                  <span class="step">1</span>
                  {t('addSnippet')}
                </h2>
                <p class="card-description">
                  {pasteBefore}
                  <code>&lt;/body&gt;</code>
                  {pasteAfter}
                </p>
              </div>
            </div>
            <div class="code-block">
              <pre>
                <code>{snippet}</code>
              </pre>
              <CopyButton text={snippet} label={t('copySnippet')} class="btn btn-primary btn-sm code-copy" />
            </div>
            <details class="disclosure">
              <summary>{t('queueSummary')}</summary>
              <p class="muted">
                {queueBefore}
                <code>Beckon('identify', …)</code>
                {queueMiddle}
                <code>Beckon('track', …)</code>
                {queueAfter}
              </p>
              <div class="code-block">
                <pre>
                  <code>{queueStubSnippet()}</code>
                </pre>
                <CopyButton text={queueStubSnippet()} class="btn btn-secondary btn-sm code-copy" />
              </div>
            </details>
          </section>

          <AllowedOrigins site={site} />
        </div>

        <aside class="stack-lg">
          <section class="card" aria-labelledby="check-title">
            <h2 class="card-title" id="check-title">
              <span class="step">3</span>
              {t('checkWorks')}
            </h2>
            <p class="card-description">{t('checkWorksHint')}</p>
            <a class="btn btn-secondary btn-block" href="/demo/" target="_blank" rel="noopener">
              <ExternalLinkIcon size={16} />
              <span>{t('tryDemo')}</span>
            </a>
          </section>
          <InstallHealthCard site={site} />
          <section class="card" aria-labelledby="details-title">
            <h2 class="card-title" id="details-title">
              {t('siteDetails')}
            </h2>
            <dl class="details">
              <div>
                <dt>{t('siteKey')}</dt>
                <dd>
                  <code>{site.key}</code>
                </dd>
              </div>
              <div>
                <dt>{t('template')}</dt>
                <dd>{site.template === 'b2b' ? t('templateB2b') : t('templateShop')}</dd>
              </div>
              <div>
                <dt>{t('created')}</dt>
                <dd>{createdDate(site.createdAt)}</dd>
              </div>
            </dl>
          </section>
        </aside>
      </div>
    </div>
  );
}

function AllowedOrigins({ site }: { site: Site }) {
  const { isAdmin, upsertSite } = useSession();
  const [origins, setOrigins] = useState(site.allowedOrigins);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const pending = useOriginDraft('install-origin');
  const dirty = !sameOrigins(origins, site.allowedOrigins) || pending.draft.trim() !== '';

  // Follow the server (another admin saved, an origin allowed from the refused list, or we switched
  // sites) unless there are unsaved edits: edits are measured against the list the server had before.
  const serverOrigins = useRef(site.allowedOrigins);
  useEffect(() => {
    setOrigins((current) => (sameOrigins(current, serverOrigins.current) ? site.allowedOrigins : current));
    serverOrigins.current = site.allowedOrigins;
  }, [site.id, site.allowedOrigins]);

  useEffect(() => {
    setOrigins(site.allowedOrigins);
    pending.reset();
    setFields({});
    setError(null);
  }, [site.id]);

  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(false), 2500);
    return () => clearTimeout(timer);
  }, [saved]);

  const save = async () => {
    // An origin typed without pressing Add is saved with the list, or nothing is saved and the field says why.
    const allowedOrigins = pending.take(origins);
    if (!allowedOrigins) return;
    setOrigins(allowedOrigins);
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const updated = await api.updateSite(site.id, { allowedOrigins });
      upsertSite(updated);
      setOrigins(updated.allowedOrigins);
      setSaved(true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'validation_failed') {
        const errors = caught.fieldErrors();
        setFields(errors);
        const { rows, list } = originErrors(errors);
        if (rows.size === 0 && !list) setError(caught.message);
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  const { rows, list } = originErrors(fields);

  return (
    <section class="card" aria-labelledby="origins-title">
      <div class="card-header">
        <div>
          <h2 class="card-title" id="origins-title">
            <span class="step">2</span>
            {t('allowWebsite')}
          </h2>
          <p class="card-description">{t('allowWebsiteHint')}</p>
        </div>
      </div>
      {error && <Alert>{error}</Alert>}
      <OriginsEditor
        origins={origins}
        pending={pending}
        onChange={(next) => {
          setOrigins(next);
          setFields({});
          setSaved(false);
        }}
        rowErrors={rows}
        listError={list}
        readOnly={!isAdmin}
      />
      {isAdmin ? (
        <div class="card-footer">
          <span class="save-state" role="status">
            {saved ? t('saved') : dirty ? t('unsaved') : ''}
          </span>
          <button
            type="button"
            class="btn btn-ghost"
            disabled={!dirty || busy}
            onClick={() => {
              setOrigins(site.allowedOrigins);
              pending.reset();
              setFields({});
              setError(null);
            }}
          >
            {t('discard')}
          </button>
          <button type="button" class="btn btn-primary" disabled={!dirty || busy} onClick={save}>
            {busy ? t('saving') : t('saveOrigins')}
          </button>
        </div>
      ) : (
        <p class="card-note">
          <ShieldIcon size={14} />
          <span>{t('adminsOnly')}</span>
        </p>
      )}
    </section>
  );
}

function createdDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatDate(date, { year: 'numeric', month: 'short', day: 'numeric' });
}
