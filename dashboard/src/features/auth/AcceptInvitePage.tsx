import { useEffect, useState } from 'preact/hooks';
import type { Me } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Field, describedBy } from '../../components/Field';
import { href } from '../../router';
import { AuthLayout } from './AuthLayout';
import { t } from './i18n';

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
    document.title = t('acceptPageTitle');
  }, []);

  if (!token) {
    return (
      <AuthLayout title={t('inviteIncomplete')} footer={<a href={href('/')}>{t('goToSignIn')}</a>}>
        <p class="muted">{t('inviteNoToken')}</p>
      </AuthLayout>
    );
  }

  const tooShort = password.length < MIN_PASSWORD;
  const mismatch = confirm.length > 0 && confirm !== password;
  const passwordError =
    fields.password ?? (touched && tooShort ? t('passwordTooShort', { min: MIN_PASSWORD }) : undefined);
  const confirmError = touched && mismatch ? t('passwordMismatch') : undefined;

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
        if (errors.token) setError(t('inviteInvalid'));
      } else if (
        caught instanceof ApiError &&
        (caught.code === 'not_found' || caught.code === 'unauthorized' || caught.code === 'conflict')
      ) {
        setError(t('inviteExpired'));
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title={t('joinTitle')}
      subtitle={t('joinSubtitle')}
      footer={
        <span>
          {t('haveAccount')} <a href={href('/')}>{t('signIn')}</a>
        </span>
      }
    >
      <form class="stack" onSubmit={submit} noValidate>
        {error && <Alert>{error}</Alert>}
        <Field
          id="invite-password"
          label={t('password')}
          hint={t('passwordHint', { min: MIN_PASSWORD })}
          error={passwordError}
        >
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
        <Field id="invite-confirm" label={t('confirmPassword')} error={confirmError}>
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
          {busy ? t('settingUp') : t('setPassword')}
        </button>
      </form>
    </AuthLayout>
  );
}
