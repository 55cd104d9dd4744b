import { useEffect, useState } from 'preact/hooks';
import type { AgentRole, InviteCreated, TeamMember } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { Field, describedBy } from '../../components/Field';
import { useSession } from '../../session';
import { SitePicker } from './SitePicker';

const roles: ReadonlyArray<{ value: AgentRole; title: string; text: string }> = [
  { value: 'agent', title: 'Agent', text: 'Answers visitors on the sites you choose.' },
  { value: 'admin', title: 'Admin', text: 'Everything, including sites, settings and the team.' },
];

export function InviteDialog({ open, onClose, onInvited }: { open: boolean; onClose: () => void; onInvited: (member: TeamMember) => void }) {
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
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) local.email = 'Enter a valid email address.';
    if (!name.trim()) local.name = 'Enter a name.';
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
        setFields({ email: caught.message || 'Someone with this email is already on the team.' });
      } else if (caught instanceof ApiError && caught.code === 'validation_failed') {
        const errors = caught.fieldErrors();
        setFields(errors);
        if (!errors.email && !errors.name && !errors.role) setError(caught.message);
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
      <Dialog open={open} onClose={onClose} title="Invite created">
        <div class="stack">
          {invite.emailedTo ? (
            <Alert tone="success">
              We emailed the invite to <strong>{invite.emailedTo}</strong>. If it does not arrive, send them this link yourself; it lets them choose a password and sign in.
            </Alert>
          ) : (
            <p>
              Send this link to <strong>{invite.agent.name}</strong> ({invite.agent.email}). It lets them choose a password and sign in.
              {' '}(Beckon emails invites itself once an email server is set up with <code>SMTP_URL</code>.)
            </p>
          )}
          <div class="invite-link">
            <input class="input mono" type="text" readOnly value={link} aria-label="Invite link" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={link} label="Copy link" class="btn btn-primary" />
          </div>
          <Alert tone="info">
            This link is shown only once and expires {formatExpiry(invite.expiresAt)}. Anyone with it can join as {invite.agent.name}, so send it privately.
          </Alert>
          <div class="dialog-actions">
            <button type="button" class="btn btn-secondary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog open={open} onClose={onClose} title="Invite a teammate" description="They get a one-time link to set their password.">
      <form class="stack" onSubmit={submit} noValidate>
        {error && <Alert>{error}</Alert>}
        <div class="form-row">
          <Field id="invite-name" label="Name" error={fields.name}>
            <input
              id="invite-name"
              class="input"
              type="text"
              autocomplete="off"
              maxLength={100}
              placeholder="Alex Kim"
              value={name}
              onInput={(e) => {
                setName(e.currentTarget.value);
                clearField('name');
              }}
              {...describedBy('invite-name', fields.name, false)}
            />
          </Field>
          <Field id="invite-email" label="Email" error={fields.email}>
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
          <legend class="field-label">Role</legend>
          <div class="choice-grid">
            {roles.map((r) => (
              <label key={r.value} class={`choice${role === r.value ? ' selected' : ''}`}>
                <input type="radio" name="role" value={r.value} checked={role === r.value} onChange={() => setRole(r.value)} />
                <span class="choice-title">{r.title}</span>
                <span class="choice-text">{r.text}</span>
              </label>
            ))}
          </div>
          {fields.role && <p class="field-error">{fields.role}</p>}
        </fieldset>
        <fieldset class="field">
          <legend class="field-label">Sites</legend>
          <SitePicker id="invite-sites" sites={sites} selected={siteIds} onChange={setSiteIds} />
          {fields.siteIds && <p class="field-error">{fields.siteIds}</p>}
        </fieldset>
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Creating invite…' : 'Create invite link'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function formatExpiry(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'soon';
  return `on ${date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })}`;
}
