import type { ComponentChildren } from 'preact';
import { t } from './i18n';
import './PageHeader.css';

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-header">
      <div>
        <h1 class="page-title">{title}</h1>
        {description && <p class="page-description">{description}</p>}
      </div>
      {actions && <div class="page-actions">{actions}</div>}
    </header>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  actions,
}: {
  icon?: ComponentChildren;
  title: string;
  children?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <div class="empty-state">
      {icon && <div class="empty-icon">{icon}</div>}
      <h2 class="empty-title">{title}</h2>
      {children && <div class="empty-text">{children}</div>}
      {actions && <div class="empty-actions">{actions}</div>}
    </div>
  );
}

export function Spinner({ label = t('loading') }: { label?: string }) {
  return (
    <div class="spinner-wrap" role="status">
      <span class="spinner" aria-hidden="true" />
      <span class="sr-only">{label}</span>
    </div>
  );
}
