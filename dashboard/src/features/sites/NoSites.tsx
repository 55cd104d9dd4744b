import { EmptyState } from '../../components/PageHeader';
import { GlobeIcon, PlusIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { useSession } from '../../session';
import { t } from './i18n';

/** Shown when the signed-in agent has no site yet. */
export function NoSites() {
  const { isAdmin, openCreateSite } = useSession();
  return (
    <EmptyState
      icon={<GlobeIcon size={22} />}
      title={isAdmin ? t('createFirst') : t('noSites')}
      actions={
        isAdmin && (
          <button type="button" class="btn btn-primary" onClick={openCreateSite}>
            <PlusIcon size={16} />
            <span>{t('newSite')}</span>
          </button>
        )
      }
    >
      {isAdmin ? t('noSitesAdmin') : t('noSitesAgent')}
    </EmptyState>
  );
}

export function SiteNotFound({ what }: { what: 'site' | 'page' }) {
  return (
    <EmptyState
      icon={<GlobeIcon size={22} />}
      title={what === 'site' ? t('siteNotFound') : t('pageNotFound')}
      actions={
        <Link to="/" class="btn btn-secondary">
          {t('backToDashboard')}
        </Link>
      }
    >
      {what === 'site' ? t('siteNotFoundText') : t('pageNotFoundText')}
    </EmptyState>
  );
}
