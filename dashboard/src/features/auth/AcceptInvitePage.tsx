import { useEffect, useState } from 'preact/hooks';
import type { Me } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Field, describedBy } from '../../components/Field';
import { href } from '../../router';
import { AuthLayout } from './AuthLayout';

const MIN_PASSWORD = 10;

/** `/app/accept-invite?token=…`: the invited agent chooses a password and is signed in. */
export function AcceptInvitePage({ token, onAccepted }: { token: string; onAccepted: (me: Me) => void }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState(false);

  useEffect(() => {
    document.title = 'Accept invite · Beckon';
  }, []);

  if (!token) {
    return (
      <AuthLayout title="Invite link incomplete" footer={<a href={href('/')}>Go to sign in</a>}>
        <p class="muted">
          This link has no invite token. Open the full link your admin sent you, or ask them for a new one.
        </p>
      </AuthLayout>
    );
  }

  const tooShort = password.length < MIN_PASSWORD;
  const mismatch = confirm.length > 0 && confirm !== password;
  const passwordError = fields.password ?? (touched && tooShort ? `Use at least ${MIN_PASSWORD} characters.` : undefined);
  const confirmError = touched && mismatch ? 'The passwords do not match.' : undefined;

  const submit = async (event: Event) => {
    event.preventDefault();
    setTouched(true);
    if (tooShort || confirm !== password || busy) return;
    setBusy(true);
    setError(null);
    setFields({});
    try {
      onAccepted(await api.acceptInvite({ token, password }));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'validation_failed') {
        const errors = caught.fieldErrors();
        setFields(errors);
        if (errors.token) setError('This invite link is not valid. Ask your admin for a new one.');
      } else if (caught instanceof ApiError && (caught.code === 'not_found' || caught.code === 'unauthorized' || caught.code === 'conflict')) {
        setError('This invite link has expired or was already used. Ask your admin for a new one.');
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title="Join your team on Beckon"
      subtitle="Choose a password to finish setting up your account."
      footer={
        <span>
          Already have an account? <a href={href('/')}>Sign in</a>
        </span>
      }
    >
      <form class="stack" onSubmit={submit} noValidate>
        {error && <Alert>{error}</Alert>}
        <Field id="invite-password" label="Password" hint={`At least ${MIN_PASSWORD} characters.`} error={passwordError}>
          <input
            id="invite-password"
            class="input"
            type="password"
            autocomplete="new-password"
            required
            autoFocus
            minLength={MIN_PASSWORD}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            {...describedBy('invite-password', passwordError)}
          />
        </Field>
        <Field id="invite-confirm" label="Confirm password" error={confirmError}>
          <input
            id="invite-confirm"
            class="input"
            type="password"
            autocomplete="new-password"
            required
            value={confirm}
            onInput={(e) => setConfirm(e.currentTarget.value)}
            {...describedBy('invite-confirm', confirmError, false)}
          />
        </Field>
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Setting up…' : 'Set password and continue'}
        </button>
      </form>
    </AuthLayout>
  );
}
