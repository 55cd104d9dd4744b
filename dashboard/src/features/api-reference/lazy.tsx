import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Site } from '@beckon/sdk/protocol';
import { Alert } from '../../components/Alert';
import { Link } from '../../components/Link';
import { Spinner } from '../../components/PageHeader';
import { t } from './i18n';

type Page = ComponentType<{ site: Site }>;
let loaded: Page | undefined;

/** The API reference page, loaded on first visit (its module pulls in the renderer). */
export function ApiReferencePage({ site }: { site: Site }) {
  const [Page, setPage] = useState<Page | undefined>(() => loaded);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (Page) return;
    import('./ApiReferencePage').then(
      (module) => {
        loaded = module.ApiReferenceView;
        setPage(() => module.ApiReferenceView);
      },
      (error: unknown) => setFailed(error instanceof Error ? error.message : String(error)),
    );
  }, []);
  if (failed) return <Alert>{t('loadFailed', { error: failed })}</Alert>;
  if (!Page) return <Spinner label={t('loading')} />;
  return <Page site={site} />;
}

/** "API reference" for other pages (the API keys page): a link to this page, in the agent's language. */
export function ApiReferenceLink({ site }: { site: Site }) {
  return <Link to={`/sites/${encodeURIComponent(site.key)}/api-reference`}>{t('title')}</Link>;
}
