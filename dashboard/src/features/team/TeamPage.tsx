import { useEffect, useState } from 'preact/hooks';
import type { Site, TeamMember } from '@beckon/sdk/protocol';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { PencilIcon, UserPlusIcon, UsersIcon } from '../../components/Icons';
import { EmptyState, PageHeader, Spinner } from '../../components/PageHeader';
import { initials } from '../../components/Shell';
import { upsertById, useSession } from '../../session';
import { EditSitesDialog } from './EditSitesDialog';
import { InviteDialog } from './InviteDialog';
import { t } from './i18n';

export function TeamPage() {
  const { me, sites } = useSession();
  const [members, setMembers] = useState<TeamMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<TeamMember | null>(null);

  useEffect(() => {
    api.listAgents().then(setMembers, (caught: unknown) => setError(errorMessage(caught)));
  }, []);

  const sorted = members ? [...members].sort(byStatusThenName) : null;

  return (
    <div class="page">
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <button type="button" class="btn btn-primary" onClick={() => setInviting(true)}>
            <UserPlusIcon size={16} />
            <span>{t('inviteTeammate')}</span>
          </button>
        }
      />
      {error && <Alert>{t('loadFailed', { error })}</Alert>}
      {!sorted && !error && (
        <div class="card">
          <Spinner label={t('loading')} />
        </div>
      )}
      {sorted && sorted.length === 0 && (
        <div class="card">
          <EmptyState icon={<UsersIcon size={22} />} title={t('justYou')}>
            {t('justYouText')}
          </EmptyState>
        </div>
      )}
      {sorted && sorted.length > 0 && (
        <div class="card card-flush">
          <table class="table team-table">
            <caption class="sr-only">{t('members')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colMember')}</th>
                <th scope="col">{t('colRole')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colSites')}</th>
                <th scope="col" class="col-actions">
                  <span class="sr-only">{t('colActions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((member) => (
                <tr key={member.id}>
                  <td class="col-member">
                    <span class="member">
                      <span class={`avatar${member.status === 'invited' ? ' avatar-muted' : ''}`} aria-hidden="true">
                        {initials(member.name || member.email)}
                      </span>
                      <span class="member-text">
                        <span class="member-name">
                          {member.name}
                          {member.id === me.agent.id && <span class="you">{t('you')}</span>}
                        </span>
                        <span class="member-email">{member.email}</span>
                      </span>
                    </span>
                  </td>
                  <td class="col-role">
                    <span class={`badge ${member.role === 'admin' ? 'badge-accent' : 'badge-neutral'}`}>
                      {member.role === 'admin' ? t('roleAdmin') : t('roleAgent')}
                    </span>
                  </td>
                  <td class="col-status">
                    <span class={`status status-${member.status}`}>
                      <span class="status-dot" aria-hidden="true" />
                      {member.status === 'active' ? t('statusActive') : t('statusInvited')}
                    </span>
                  </td>
                  <td class="col-sites">
                    <MemberSites siteIds={member.siteIds} sites={sites} />
                  </td>
                  <td class="col-actions">
                    <button
                      type="button"
                      class="btn btn-ghost btn-sm"
                      onClick={() => setEditing(member)}
                      aria-label={t('editSitesFor', { name: member.name })}
                    >
                      <PencilIcon size={14} />
                      <span>{t('sites')}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <InviteDialog
        open={inviting}
        onClose={() => setInviting(false)}
        onInvited={(member) => setMembers((list) => upsertById(list ?? [], member))}
      />
      <EditSitesDialog
        member={editing}
        onClose={() => setEditing(null)}
        onSaved={(member) => {
          setMembers((list) => upsertById(list ?? [], member));
          setEditing(null);
        }}
      />
    </div>
  );
}

function MemberSites({ siteIds, sites }: { siteIds: string[]; sites: Site[] }) {
  if (siteIds.length === 0) return <span class="muted">{t('noSites')}</span>;
  const known = siteIds
    .map((id) => sites.find((site) => site.id === id))
    .filter((site): site is Site => site !== undefined);
  const shown = known.slice(0, 3);
  const more = siteIds.length - shown.length;
  return (
    <span class="chips">
      {shown.map((site) => (
        <span class="chip" key={site.id} title={site.key}>
          {site.name}
        </span>
      ))}
      {more > 0 && <span class="chip chip-more">+{more}</span>}
    </span>
  );
}

function byStatusThenName(a: TeamMember, b: TeamMember): number {
  if (a.status !== b.status) return a.status === 'active' ? -1 : 1;
  return a.name.localeCompare(b.name);
}
