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
import { embedSnippet, queueStubSnippet } from './snippet';

export function InstallPage({ site }: { site: Site }) {
  const origin = window.location.origin;
  const snippet = embedSnippet(origin, site.key);

  return (
    <div class="page">
      <PageHeader title="Install" description={<>Add Beckon to <strong>{site.name}</strong>: one script tag, no build step.</>} />
      <div class="page-grid">
        <div class="stack-lg">
          <section class="card" aria-labelledby="snippet-title">
            <div class="card-header">
              <div>
                <h2 class="card-title" id="snippet-title">
                  <span class="step">1</span>Add the snippet
                </h2>
                <p class="card-description">
                  Paste it into the HTML of every page, just before <code>&lt;/body&gt;</code>, or add it as a custom HTML tag in your tag manager.
                </p>
              </div>
            </div>
            <div class="code-block">
              <pre>
                <code>{snippet}</code>
              </pre>
              <CopyButton text={snippet} label="Copy snippet" class="btn btn-primary btn-sm code-copy" />
            </div>
            <details class="disclosure">
              <summary>Optional: call Beckon before the script has loaded</summary>
              <p class="muted">
                Add this line above the snippet if your page calls <code>Beckon('identify', …)</code> or <code>Beckon('track', …)</code> early. Calls are queued and run as soon as the widget is ready.
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
              <span class="step">3</span>Check it works
            </h2>
            <p class="card-description">
              Open a page with the snippet: the launcher appears in the corner, and the visit shows up on the Visitors page within a second.
            </p>
            <a class="btn btn-secondary btn-block" href="/demo/" target="_blank" rel="noopener">
              <ExternalLinkIcon size={16} />
              <span>Try it on the demo shop</span>
            </a>
          </section>
          <InstallHealthCard site={site} />
          <section class="card" aria-labelledby="details-title">
            <h2 class="card-title" id="details-title">Site details</h2>
            <dl class="details">
              <div>
                <dt>Site key</dt>
                <dd>
                  <code>{site.key}</code>
                </dd>
              </div>
              <div>
                <dt>Template</dt>
                <dd>{site.template === 'b2b' ? 'B2B / services' : 'Online shop'}</dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>{formatDate(site.createdAt)}</dd>
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
            <span class="step">2</span>Allow your website
          </h2>
          <p class="card-description">
            The widget only runs on these origins; requests from anywhere else are refused. Add every domain the snippet is on, including staging.
          </p>
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
            {saved ? 'Saved.' : dirty ? 'Unsaved changes' : ''}
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
            Discard
          </button>
          <button type="button" class="btn btn-primary" disabled={!dirty || busy} onClick={save}>
            {busy ? 'Saving…' : 'Save origins'}
          </button>
        </div>
      ) : (
        <p class="card-note">
          <ShieldIcon size={14} />
          <span>Only admins can change the allowed origins.</span>
        </p>
      )}
    </section>
  );
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}
