import { EmptyState } from '../../components/PageHeader';
import { GlobeIcon, PlusIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { useSession } from '../../session';

/** Shown when the signed-in agent has no site yet. */
export function NoSites() {
  const { isAdmin, openCreateSite } = useSession();
  return (
    <EmptyState
      icon={<GlobeIcon size={22} />}
      title={isAdmin ? 'Create your first site' : 'No sites yet'}
      actions={
        isAdmin && (
          <button type="button" class="btn btn-primary" onClick={openCreateSite}>
            <PlusIcon size={16} />
            <span>New site</span>
          </button>
        )
      }
    >
      {isAdmin
        ? 'A site is one website where the Beckon widget runs. Create one to get your install snippet.'
        : 'An admin has not given you access to a site yet. Ask them to add you to one.'}
    </EmptyState>
  );
}

export function SiteNotFound({ what }: { what: 'site' | 'page' }) {
  return (
    <EmptyState
      icon={<GlobeIcon size={22} />}
      title={what === 'site' ? 'Site not found' : 'Page not found'}
      actions={
        <Link to="/" class="btn btn-secondary">
          Back to the dashboard
        </Link>
      }
    >
      {what === 'site'
        ? 'This site does not exist, or you do not have access to it.'
        : 'There is nothing at this address.'}
    </EmptyState>
  );
}
