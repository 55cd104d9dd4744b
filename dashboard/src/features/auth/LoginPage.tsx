import { useEffect, useState } from 'preact/hooks';
import type { Me } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage, formatWait } from '../../api';
import { Alert } from '../../components/Alert';
import { Field, describedBy } from '../../components/Field';
import { AuthLayout } from './AuthLayout';
import { LanguageMenu } from '../../components/LanguageMenu';
import type { DashboardLocale } from '../../lib/i18n';
import { t } from './i18n';

/** The sign-in form; the language menu lets a signed-out agent read it in their language. */
export function LoginPage({
  onSignedIn,
  locale,
  onLanguage,
}: {
  onSignedIn: (me: Me) => void;
  locale: DashboardLocale;
  onLanguage: (locale: DashboardLocale) => void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  /** Epoch ms until which the server asked us to wait (429). */
  const [lockedUntil, setLockedUntil] = useState(0);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    document.title = t('signInPageTitle');
  }, [locale]);

  useEffect(() => {
    if (lockedUntil <= Date.now()) return;
    const timer = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= lockedUntil) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [lockedUntil]);

  const waitSeconds = Math.max(0, Math.ceil((lockedUntil - now) / 1000));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || waitSeconds > 0) return;
    setError(null);
    setFields({});
    setBusy(true);
    try {
      const me = await api.login({ email: email.trim(), password });
      onSignedIn(me);
    } catch (caught) {
      setPassword('');
      if (caught instanceof ApiError && caught.code === 'unauthorized') {
        setError(t('wrongCredentials'));
      } else if (caught instanceof ApiError && caught.code === 'rate_limited') {
        const seconds = caught.retryAfter ?? 60;
        setLockedUntil(Date.now() + seconds * 1000);
        setNow(Date.now());
        setError(null);
      } else if (caught instanceof ApiError && caught.code === 'validation_failed') {
        setFields(caught.fieldErrors());
        setError(null);
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title={t('signIn')}
      subtitle={t('welcome')}
      footer={<LanguageMenu value={locale} onChange={onLanguage} />}
    >
      <form class="stack" onSubmit={submit} noValidate>
        {error && <Alert>{error}</Alert>}
        {waitSeconds > 0 && <Alert>{t('tooManyAttempts', { wait: formatWait(waitSeconds) })}</Alert>}
        <Field id="login-email" label={t('email')} error={fields.email}>
          <input
            id="login-email"
            class="input"
            type="email"
            name="email"
            autocomplete="username"
            inputMode="email"
            required
            autoFocus
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            {...describedBy('login-email', fields.email, false)}
          />
        </Field>
        <Field id="login-password" label={t('password')} error={fields.password}>
          <input
            id="login-password"
            class="input"
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            {...describedBy('login-password', fields.password, false)}
          />
        </Field>
        <button
          type="submit"
          class="btn btn-primary btn-block"
          disabled={busy || waitSeconds > 0 || !email || !password}
        >
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
      <p class="auth-note">{t('askForInvite')}</p>
    </AuthLayout>
  );
}
