import type { Site } from '@beckon/sdk/protocol';
import { Link } from '../../components/Link';
import { t } from './i18n';

/** "API reference" for other pages (the API keys page): a link to this page, in the agent's language. */
export function ApiReferenceLink({ site }: { site: Site }) {
  return <Link to={`/sites/${encodeURIComponent(site.key)}/api-reference`}>{t('title')}</Link>;
}
