import type { ComponentChildren } from 'preact';
import { Logo } from '../../components/Icons';

/** The centred card used by the pages you see before signing in. */
export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: ComponentChildren;
  children: ComponentChildren;
  footer?: ComponentChildren;
}) {
  return (
    <div class="auth">
      <main class="auth-main">
        <div class="auth-brand">
          <Logo size={36} />
          <span class="wordmark">Beckon</span>
        </div>
        <div class="auth-card">
          <h1 class="auth-title">{title}</h1>
          {subtitle && <p class="auth-subtitle">{subtitle}</p>}
          {children}
        </div>
        {footer && <div class="auth-footer">{footer}</div>}
      </main>
    </div>
  );
}
