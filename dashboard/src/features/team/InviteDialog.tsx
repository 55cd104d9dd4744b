import { useEffect, useState } from 'preact/hooks';
import type { AgentRole, InviteCreated, TeamMember } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { Field, describedBy } from '../../components/Field';
import { useSession } from '../../session';
import { SitePicker } from './SitePicker';
import { currentLocale, formatDate } from '../../lib/i18n';
import { t } from './i18n';

const roles: ReadonlyArray<{ value: AgentRole; title: Parameters<typeof t>[0]; text: Parameters<typeof t>[0] }> = [
  { value: 'agent', title: 'roleAgent', text: 'roleAgentText' },
  { value: 'admin', title: 'roleAdmin', text: 'roleAdminText' },
];

export function InviteDialog({
  open,
  onClose,
  onInvited,
}: {
  open: boolean;
  onClose: () => void;
  onInvited: (member: TeamMember) => void;
}) {
  const { sites } = useSession();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<AgentRole>('agent');
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [invite, setInvite] = useState<InviteCreated | null>(null);

  useEffect(() => {
    if (!open) return;
    setEmail('');
    setName('');
    setRole('agent');
    setSiteIds(sites.length === 1 ? [sites[0]!.id] : []);
    setError(null);
    setFields({});
    setInvite(null);
  }, [open]);

  const clearField = (field: string) => {
    if (fields[field]) setFields(({ [field]: _, ...rest }) => rest);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const local: Record<string, string> = {};
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) local.email = t('invalidEmail');
    if (!name.trim()) local.name = t('enterName');
    setFields(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(null);
    try {
      const created = await api.inviteAgent({ email: email.trim(), name: name.trim(), role, siteIds });
      setInvite(created);
      onInvited({ ...created.agent, siteIds, status: 'invited' });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'conflict') {
        setFields({ email: currentLocale() === 'en' && caught.message ? caught.message : t('emailTaken') });
      } else if (caught instanceof ApiError && caught.code === 'validation_failed') {
        const errors = caught.fieldErrors();
        setFields(errors);
        if (!errors.email && !errors.name && !errors.role) setError(errorMessage(caught));
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  if (invite) {
    const link = window.location.origin + invite.acceptUrl;
    return (
      <Dialog open={open} onClose={onClose} title={t('inviteCreated')}>
        <div class="stack">
          {invite.emailedTo ? (
            <Alert tone="success">
              {t('emailedBefore')} <strong>{invite.emailedTo}</strong>
              {t('emailedAfter')}
            </Alert>
          ) : (
            <p>
              {t('sendLinkBefore')} <strong>{invite.agent.name}</strong>{' '}
              {t('sendLinkAfter', { email: invite.agent.email })} {t('smtpNote', { setting: 'SMTP_URL' })}
            </p>
          )}
          <div class="invite-link">
            <input
              class="input mono"
              type="text"
              readOnly
              value={link}
              aria-label={t('inviteLink')}
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={link} label={t('copyLink')} class="btn btn-primary" />
          </div>
          <Alert tone="info">
            {t('linkOnce', { expiry: formatExpiry(invite.expiresAt), name: invite.agent.name })}
          </Alert>
          <div class="dialog-actions">
            <button type="button" class="btn btn-secondary" onClick={onClose}>
              {t('done')}
            </button>
          </div>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog open={open} onClose={onClose} title={t('inviteTitle')} description={t('inviteDescription')}>
      <form class="stack" onSubmit={submit} noValidate>
        {error && <Alert>{error}</Alert>}
        <div class="form-row">
          <Field id="invite-name" label={t('name')} error={fields.name}>
            <input
              id="invite-name"
              class="input"
              type="text"
              autocomplete="off"
              maxLength={100}
              placeholder={t('namePlaceholder')}
              value={name}
              onInput={(e) => {
                setName(e.currentTarget.value);
                clearField('name');
              }}
              {...describedBy('invite-name', fields.name, false)}
            />
          </Field>
          <Field id="invite-email" label={t('email')} error={fields.email}>
            <input
              id="invite-email"
              class="input"
              type="email"
              autocomplete="off"
              inputMode="email"
              placeholder="alex@example.com"
              value={email}
              onInput={(e) => {
                setEmail(e.currentTarget.value);
                clearField('email');
              }}
              {...describedBy('invite-email', fields.email, false)}
            />
          </Field>
        </div>
        <fieldset class="field">
          <legend class="field-label">{t('role')}</legend>
          <div class="choice-grid">
            {roles.map((r) => (
              <label key={r.value} class={`choice${role === r.value ? ' selected' : ''}`}>
                <input
                  type="radio"
                  name="role"
                  value={r.value}
                  checked={role === r.value}
                  onChange={() => setRole(r.value)}
                />
                <span class="choice-title">{t(r.title)}</span>
                <span class="choice-text">{t(r.text)}</span>
              </label>
            ))}
          </div>
          {fields.role && <p class="field-error">{fields.role}</p>}
        </fieldset>
        <fieldset class="field">
          <legend class="field-label">{t('sites')}</legend>
          <SitePicker id="invite-sites" sites={sites} selected={siteIds} onChange={setSiteIds} />
          {fields.siteIds && <p class="field-error">{fields.siteIds}</p>}
        </fieldset>
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('creating') : t('createLink')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function formatExpiry(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return t('expiresSoon');
  return t('expiresOn', {
    date: formatDate(date, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
  });
}
