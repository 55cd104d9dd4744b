import { useEffect, useRef } from 'preact/hooks';
import type { Site } from '@beckon/sdk/protocol';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { t } from './i18n';
import './api-reference.css';
// Registers the <rapi-doc> web component (RapiDoc: one lit element in its own shadow DOM, so its styles and
// the dashboard's never meet, and no second UI framework next to Preact).
import 'rapidoc';

/** Where the server serves the document (public, no secrets). */
export const openApiUrl = '/api/openapi.json';

/**
 * The API reference, rendered from `GET /api/openapi.json` by RapiDoc. Read-only on purpose: "try it" would
 * send requests with the admin's own session, and API keys never belong in a browser page.
 */
export function ApiReferenceView({ site }: { site: Site }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = document.createElement('rapi-doc');
    const attributes: Record<string, string> = {
      'spec-url': openApiUrl,
      // A phone has no room for the side navigation `focused` needs: one scrolling list of operations instead.
      'render-style': window.matchMedia('(max-width: 720px)').matches ? 'view' : 'focused',
      layout: 'column',
      theme: 'light',
      'show-header': 'false',
      'show-info': 'true',
      'allow-try': 'false',
      'allow-authentication': 'false',
      'allow-server-selection': 'false',
      'allow-spec-url-load': 'false',
      'allow-spec-file-load': 'false',
      'allow-spec-file-download': 'false',
      'schema-style': 'table',
      'schema-description-expanded': 'true',
      'default-schema-tab': 'schema',
      'show-method-in-nav-bar': 'as-colored-text',
      'use-path-in-nav-bar': 'false',
      'nav-bg-color': '#f8fafc',
      'primary-color': '#4f46e5',
      'regular-font': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      'mono-font': 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      'load-fonts': 'false',
    };
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    element.className = 'api-reference-doc';
    host.current?.append(element);
    return () => element.remove();
  }, []);

  return (
    <div class="page page-wide api-reference-page">
      <PageHeader
        title={t('title')}
        description={
          <>
            {t('description')} <Link to={`/sites/${encodeURIComponent(site.key)}/api-keys`}>{t('keysLink')}</Link>
            {' · '}
            <a href={openApiUrl} target="_blank" rel="noreferrer">
              {t('documentLink')}
            </a>
          </>
        }
      />
      <div class="api-reference-host" ref={host} />
    </div>
  );
}
