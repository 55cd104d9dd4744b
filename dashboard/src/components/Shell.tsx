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
} from './Icons';
import { Link } from './Link';
import { useShellStatus } from './shell-status';
// Before the site switcher's: the shell's styles came first in the old single stylesheet.
import './Shell.css';
import { SiteSwitcher } from './SiteSwitcher';

export type Section = 'inbox' | 'visitors' | 'leads' | 'callbacks' | 'feedback' | 'scoring' | 'routing' | 'triggers' | 'audiences' | 'install' | 'appearance' | 'chat' | 'webhooks' | 'privacy';

const siteNav: ReadonlyArray<{ section: Section; label: string; Icon: typeof ActivityIcon; adminOnly?: boolean }> = [
  { section: 'inbox', label: 'Inbox', Icon: InboxIcon },
  { section: 'visitors', label: 'Visitors', Icon: ActivityIcon },
  { section: 'leads', label: 'Leads', Icon: ContactIcon },
  { section: 'callbacks', label: 'Callbacks', Icon: PhoneIcon },
  { section: 'feedback', label: 'Feedback', Icon: StarIcon },
  { section: 'scoring', label: 'Scoring', Icon: ZapIcon },
  { section: 'routing', label: 'Routing', Icon: TransferIcon },
  // Proactive invitations shown to visitors: rules are an admin's decision (the API's writes are admin-only too).
  { section: 'triggers', label: 'Triggers', Icon: BellIcon, adminOnly: true },
  { section: 'audiences', label: 'Audiences', Icon: UsersIcon },
  { section: 'install', label: 'Install', Icon: CodeIcon },
  { section: 'appearance', label: 'Appearance', Icon: PaletteIcon },
  { section: 'chat', label: 'Chat settings', Icon: MessageIcon },
  // Webhooks send lead data to outside URLs: an admin's decision (the API is admin-only too).
  { section: 'webhooks', label: 'Webhooks', Icon: WebhookIcon, adminOnly: true },
  { section: 'privacy', label: 'Privacy', Icon: ShieldIcon },
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
  const { me, isAdmin, logout } = useSession();
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
        Skip to content
      </a>
      <aside class="sidebar" id="sidebar" aria-label="Navigation">
        <div class="sidebar-brand">
          <Link to="/" class="brand" aria-label="Beckon home">
            <Logo size={28} />
            <span class="wordmark">Beckon</span>
          </Link>
          <button type="button" class="icon-button sidebar-close" aria-label="Close menu" onClick={() => setMenuOpen(false)}>
            <XIcon />
          </button>
        </div>

        <SiteSwitcher current={site} section={section ?? 'inbox'} onDone={() => setMenuOpen(false)} />

        <nav class="nav">
          <p class="nav-heading">Site</p>
          <ul>
            {siteNav.filter((item) => isAdmin || !item.adminOnly).map(({ section: target, label, Icon }) => (
              <li key={target}>
                {siteBase ? (
                  <Link
                    to={`${siteBase}/${target}`}
                    class={`nav-link${section === target ? ' active' : ''}`}
                    aria-current={section === target ? 'page' : undefined}
                  >
                    <Icon />
                    <span>{label}</span>
                    {target === 'callbacks' && waitingCallbacks > 0 && (
                      <span class="nav-badge" aria-label={`${waitingCallbacks} waiting`}>
                        {waitingCallbacks > 99 ? '99+' : waitingCallbacks}
                      </span>
                    )}
                    {target === 'inbox' && siteUnread > 0 && (
                      <span class="nav-badge" aria-label={`${siteUnread} unread`}>
                        {siteUnread > 99 ? '99+' : siteUnread}
                      </span>
                    )}
                  </Link>
                ) : (
                  <span class="nav-link disabled" aria-disabled="true">
                    <Icon />
                    <span>{label}</span>
                  </span>
                )}
              </li>
            ))}
          </ul>
          {isAdmin && (
            <>
              <p class="nav-heading">Workspace</p>
              <ul>
                <li>
                  <Link to="/team" class={`nav-link${teamActive ? ' active' : ''}`} aria-current={teamActive ? 'page' : undefined}>
                    <UsersIcon />
                    <span>Team</span>
                  </Link>
                </li>
              </ul>
            </>
          )}
        </nav>

        <div class="sidebar-footer">
          <a class="nav-link subtle" href="/demo/" target="_blank" rel="noopener">
            <ExternalLinkIcon size={16} />
            <span>Open the demo shop</span>
          </a>
        </div>
      </aside>

      <button type="button" class="scrim" aria-label="Close menu" tabIndex={-1} onClick={() => setMenuOpen(false)} />

      <div class="main-col">
        <header class="topbar">
          <button
            type="button"
            class="icon-button menu-button"
            aria-label="Open menu"
            aria-controls="sidebar"
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen(true)}
          >
            <MenuIcon />
          </button>
          <Link to="/" class="brand topbar-brand" aria-label="Beckon home">
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
                <span class="user-name">{me.agent.name}</span>
                <span class="user-role">{me.agent.role === 'admin' ? 'Admin' : 'Agent'}</span>
              </span>
            </div>
            <button type="button" class="btn btn-ghost btn-sm logout" onClick={() => void logout()}>
              <LogOutIcon size={16} />
              <span class="logout-text">Sign out</span>
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

const statusText: Record<ConnectionStatus, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
};

const statusTitle: Record<ConnectionStatus, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live updates are on',
  reconnecting: 'Connection lost — reconnecting. New data will appear once it is back.',
};

export function ConnectionIndicator() {
  const { status } = useLive();
  return (
    <span class={`connection connection-${status}`} title={statusTitle[status]} role="status" aria-live="polite">
      <span class="connection-dot" aria-hidden="true" />
      <span class="connection-text">{statusText[status]}</span>
    </span>
  );
}

/** Online / Away for the agent (every tab shows the same); visitors see the site as available while some agent is online. */
export function PresenceToggle() {
  const { presence, setPresence, status } = useLive();
  const next = presence === 'online' ? 'away' : 'online';
  const title =
    presence === 'online'
      ? 'You are online: new chats can be assigned to you. Click to go away.'
      : 'You are away: no new chats are assigned to you. Click to go online.';
  return (
    <button
      type="button"
      class={`presence presence-${status === 'live' ? presence : 'offline'}`}
      title={title}
      aria-label={`Status: ${presence === 'online' ? 'Online' : 'Away'}. Switch to ${next === 'online' ? 'Online' : 'Away'}`}
      onClick={() => setPresence(next)}
    >
      <span class="presence-dot" aria-hidden="true" />
      <span class="presence-text">{presence === 'online' ? 'Online' : 'Away'}</span>
    </button>
  );
}

/** Sound and browser notifications for new chats; the browser is asked for permission only from here. */
export function NotificationsToggle() {
  const { notifications } = useShellStatus();
  const { enabled, permission } = notifications;
  const blocked = permission === 'denied';
  const title = !enabled
    ? 'Enable notifications: a sound and a desktop notification for each new chat'
    : blocked
      ? 'Sound is on; desktop notifications are blocked in the browser settings. Click to mute.'
      : 'Notifications are on. Click to mute.';
  return (
    <button
      type="button"
      class={`icon-button notify-toggle${enabled ? ' on' : ''}`}
      title={title}
      aria-label={enabled ? 'Mute new-chat notifications' : 'Enable new-chat notifications'}
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
