import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Site } from '@beckon/sdk/protocol';
import { useLive, type ConnectionStatus } from '../live';
import { useLocation } from '../router';
import { useSession } from '../session';
import {
  ActivityIcon,
  BellIcon,
  BellOffIcon,
  ChartIcon,
  CodeIcon,
  ContactIcon,
  PhoneIcon,
  StarIcon,
  ExternalLinkIcon,
  InboxIcon,
  LogOutIcon,
  Logo,
  MenuIcon,
  MessageIcon,
  PaletteIcon,
  ShieldIcon,
  UsersIcon,
  WebhookIcon,
  TransferIcon,
  XIcon,
  ZapIcon,
  KeyIcon,
} from './Icons';
import { Link } from './Link';
import { useShellStatus } from './shell-status';
// Before the site switcher's: the shell's styles came first in the old single stylesheet.
import './Shell.css';
import { SiteSwitcher } from './SiteSwitcher';
import { LanguageMenu } from './LanguageMenu';
import { t } from './i18n';

export type Section =
  | 'inbox'
  | 'visitors'
  | 'leads'
  | 'callbacks'
  | 'feedback'
  | 'reports'
  | 'scoring'
  | 'routing'
  | 'triggers'
  | 'audiences'
  | 'install'
  | 'appearance'
  | 'chat'
  | 'webhooks'
  | 'api-keys'
  | 'api-reference'
  | 'privacy';

const siteNav: ReadonlyArray<{
  section: Section;
  label: Parameters<typeof t>[0];
  Icon: typeof ActivityIcon;
  adminOnly?: boolean;
}> = [
  { section: 'inbox', label: 'navInbox', Icon: InboxIcon },
  { section: 'visitors', label: 'navVisitors', Icon: ActivityIcon },
  { section: 'leads', label: 'navLeads', Icon: ContactIcon },
  { section: 'callbacks', label: 'navCallbacks', Icon: PhoneIcon },
  { section: 'feedback', label: 'navFeedback', Icon: StarIcon },
  { section: 'reports', label: 'navReports', Icon: ChartIcon },
  { section: 'scoring', label: 'navScoring', Icon: ZapIcon },
  { section: 'routing', label: 'navRouting', Icon: TransferIcon },
  // Proactive invitations shown to visitors: rules are an admin's decision (the API's writes are admin-only too).
  { section: 'triggers', label: 'navTriggers', Icon: BellIcon, adminOnly: true },
  { section: 'audiences', label: 'navAudiences', Icon: UsersIcon },
  { section: 'install', label: 'navInstall', Icon: CodeIcon },
  { section: 'appearance', label: 'navAppearance', Icon: PaletteIcon },
  { section: 'chat', label: 'navChat', Icon: MessageIcon },
  // Webhooks send lead data to outside URLs: an admin's decision (the API is admin-only too).
  { section: 'webhooks', label: 'navWebhooks', Icon: WebhookIcon, adminOnly: true },
  // Keys act with an admin's authority (within their scopes): admins only, like their API.
  { section: 'api-keys', label: 'navApiKeys', Icon: KeyIcon, adminOnly: true },
  // Beside the keys it is for: the document itself is public (`/api/openapi.json`).
  { section: 'api-reference', label: 'navApiReference', Icon: CodeIcon, adminOnly: true },
  { section: 'privacy', label: 'navPrivacy', Icon: ShieldIcon },
];

interface ShellProps {
  /** The site the sidebar links point at (the current one, or the last used on workspace pages). */
  site: Site | undefined;
  section: Section | null;
  teamActive: boolean;
  /** Full-bleed content (the inbox manages its own columns and scrolling). */
  flush?: boolean;
  children: ComponentChildren;
}

/** Sidebar + top bar + content. Below 860px the sidebar becomes a drawer behind a menu button. */
export function Shell({ site, section, teamActive, flush = false, children }: ShellProps) {
  const { me, isAdmin, logout, locale, setLanguage } = useSession();
  const status = useShellStatus();
  const siteUnread = site ? status.unread(site.id) : 0;
  const { waitingCallbacks } = status;
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();

  // Close the drawer after navigating.
  useEffect(() => setMenuOpen(false), [location.path]);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setMenuOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const siteBase = site ? `/sites/${encodeURIComponent(site.key)}` : null;

  return (
    <div class={`shell${menuOpen ? ' menu-open' : ''}${flush ? ' shell-flush' : ''}`}>
      <a class="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <aside class="sidebar" id="sidebar" aria-label={t('navigation')}>
        <div class="sidebar-brand">
          <Link to="/" class="brand" aria-label={t('home')}>
            <Logo size={28} />
            <span class="wordmark">Beckon</span>
          </Link>
          <button
            type="button"
            class="icon-button sidebar-close"
            aria-label={t('closeMenu')}
            onClick={() => setMenuOpen(false)}
          >
            <XIcon />
          </button>
        </div>

        <SiteSwitcher current={site} section={section ?? 'inbox'} onDone={() => setMenuOpen(false)} />

        <nav class="nav">
          <p class="nav-heading">{t('navHeadingSite')}</p>
          <ul>
            {siteNav
              .filter((item) => isAdmin || !item.adminOnly)
              .map(({ section: target, label, Icon }) => (
                <li key={target}>
                  {siteBase ? (
                    <Link
                      to={`${siteBase}/${target}`}
                      class={`nav-link${section === target ? ' active' : ''}`}
                      aria-current={section === target ? 'page' : undefined}
                    >
                      <Icon />
                      <span>{t(label)}</span>
                      {target === 'callbacks' && waitingCallbacks > 0 && (
                        <span class="nav-badge" role="img" aria-label={t('waitingCount', { count: waitingCallbacks })}>
                          {waitingCallbacks > 99 ? '99+' : waitingCallbacks}
                        </span>
                      )}
                      {target === 'inbox' && siteUnread > 0 && (
                        <span class="nav-badge" role="img" aria-label={t('unreadCount', { count: siteUnread })}>
                          {siteUnread > 99 ? '99+' : siteUnread}
                        </span>
                      )}
                    </Link>
                  ) : (
                    <span class="nav-link disabled" aria-disabled="true">
                      <Icon />
                      <span>{t(label)}</span>
                    </span>
                  )}
                </li>
              ))}
          </ul>
          {isAdmin && (
            <>
              <p class="nav-heading">{t('navHeadingWorkspace')}</p>
              <ul>
                <li>
                  <Link
                    to="/team"
                    class={`nav-link${teamActive ? ' active' : ''}`}
                    aria-current={teamActive ? 'page' : undefined}
                  >
                    <UsersIcon />
                    <span>{t('navTeam')}</span>
                  </Link>
                </li>
              </ul>
            </>
          )}
        </nav>

        <div class="sidebar-footer">
          {/* On phones the top bar has no room for it: the drawer carries the language menu. */}
          <div class="sidebar-language">
            <LanguageMenu value={locale} onChange={(next) => void setLanguage(next)} />
          </div>
          <a class="nav-link subtle" href="/demo/" target="_blank" rel="noopener">
            <ExternalLinkIcon size={16} />
            <span>{t('openDemoShop')}</span>
          </a>
        </div>
      </aside>

      <button
        type="button"
        class="scrim"
        aria-label={t('closeMenu')}
        tabIndex={-1}
        onClick={() => setMenuOpen(false)}
      />

      <div class="main-col">
        <header class="topbar">
          <button
            type="button"
            class="icon-button menu-button"
            aria-label={t('openMenu')}
            aria-controls="sidebar"
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen(true)}
          >
            <MenuIcon />
          </button>
          <Link to="/" class="brand topbar-brand" aria-label={t('home')}>
            <Logo size={26} />
            <span class="wordmark">Beckon</span>
          </Link>
          <div class="topbar-context">
            {site && !teamActive && (
              <>
                <span class="topbar-site">{site.name}</span>
                <span class="topbar-key">{site.key}</span>
              </>
            )}
          </div>
          <div class="topbar-right">
            <ConnectionIndicator />
            <PresenceToggle />
            <NotificationsToggle />
            <div class="user" title={me.agent.email}>
              <span class="avatar" aria-hidden="true">
                {initials(me.agent.name || me.agent.email)}
              </span>
              <span class="user-text">
                <span class="user-name" title={me.agent.name}>
                  {me.agent.name}
                </span>
                <span class="user-role">{me.agent.role === 'admin' ? t('roleAdmin') : t('roleAgent')}</span>
              </span>
            </div>
            <div class="topbar-language">
              <LanguageMenu value={locale} onChange={(next) => void setLanguage(next)} compact />
            </div>
            <button
              type="button"
              class="btn btn-ghost btn-sm logout"
              title={t('signOut')}
              onClick={() => void logout()}
            >
              <LogOutIcon size={16} />
              <span class="logout-text">{t('signOut')}</span>
            </button>
          </div>
        </header>
        <main class={`content${flush ? ' content-flush' : ''}`} id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

const statusText = {
  connecting: 'statusConnecting',
  live: 'statusLive',
  reconnecting: 'statusReconnecting',
} as const satisfies Record<ConnectionStatus, string>;

const statusTitle = {
  connecting: 'statusConnectingTitle',
  live: 'statusLiveTitle',
  reconnecting: 'statusReconnectingTitle',
} as const satisfies Record<ConnectionStatus, string>;

export function ConnectionIndicator() {
  const { status } = useLive();
  return (
    <span class={`connection connection-${status}`} title={t(statusTitle[status])} role="status" aria-live="polite">
      <span class="connection-dot" aria-hidden="true" />
      <span class="connection-text">{t(statusText[status])}</span>
    </span>
  );
}

/** Online / Away for the agent (every tab shows the same); visitors see the site as available while some agent is online. */
export function PresenceToggle() {
  const { presence, setPresence, status } = useLive();
  const next = presence === 'online' ? 'away' : 'online';
  const title = presence === 'online' ? t('presenceOnlineTitle') : t('presenceAwayTitle');
  const presenceName = (value: 'online' | 'away') => (value === 'online' ? t('presenceOnline') : t('presenceAway'));
  return (
    <button
      type="button"
      class={`presence presence-${status === 'live' ? presence : 'offline'}`}
      title={title}
      aria-label={t('presenceLabel', { status: presenceName(presence), next: presenceName(next) })}
      onClick={() => setPresence(next)}
    >
      <span class="presence-dot" aria-hidden="true" />
      <span class="presence-text">{presenceName(presence)}</span>
    </button>
  );
}

/** Sound and browser notifications for new chats; the browser is asked for permission only from here. */
export function NotificationsToggle() {
  const { notifications } = useShellStatus();
  const { enabled, permission } = notifications;
  const blocked = permission === 'denied';
  const title = !enabled ? t('notifyEnableTitle') : blocked ? t('notifyBlockedTitle') : t('notifyOnTitle');
  return (
    <button
      type="button"
      class={`icon-button notify-toggle${enabled ? ' on' : ''}`}
      title={title}
      aria-label={enabled ? t('notifyMute') : t('notifyEnable')}
      aria-pressed={enabled}
      onClick={() => (enabled ? notifications.disable() : void notifications.enable())}
    >
      {enabled ? <BellIcon /> : <BellOffIcon />}
    </button>
  );
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = [...(parts[0] ?? '?')][0] ?? '?';
  const last = parts.length > 1 ? ([...parts[parts.length - 1]!][0] ?? '') : '';
  return (first + last).toUpperCase();
}
