import { useEffect, useState } from 'preact/hooks';
import type { TeamMember } from '@beckon/sdk/protocol';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Dialog } from '../../components/Dialog';
import { useSession } from '../../session';
import { SitePicker } from './SitePicker';
import { t } from './i18n';

export function EditSitesDialog({
  member,
  onClose,
  onSaved,
}: {
  member: TeamMember | null;
  onClose: () => void;
  onSaved: (member: TeamMember) => void;
}) {
  const { sites } = useSession();
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setSiteIds(member?.siteIds ?? []);
    setError(null);
  }, [member]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!member || busy) return;
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.setAgentSites(member.id, siteIds));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={member !== null}
      onClose={onClose}
      title={member ? t('sitesFor', { name: member.name }) : t('sites')}
      description={member ? t('sitesDescription', { name: member.name }) : undefined}
    >
      <form class="stack" onSubmit={save}>
        {error && <Alert>{error}</Alert>}
        <SitePicker id="member-sites" sites={sites} selected={siteIds} onChange={setSiteIds} />
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('saving') : t('saveSites')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
