import { useEffect, useRef, useState } from 'preact/hooks';
import type { Site } from '@beckon/sdk/protocol';
import { contrastText } from '../lib/colour';
import { navigate } from '../router';
import { useSession } from '../session';
import { useShellStatus } from './shell-status';
import { CheckIcon, ChevronsUpDownIcon, PlusIcon } from './Icons';
import type { Section } from './Shell';
import { t } from './i18n';
import './SiteSwitcher.css';

/** The current site with a menu of the others; switching keeps the page you are on. */
export function SiteSwitcher({
  current,
  section,
  onDone,
}: {
  current: Site | undefined;
  section: Section;
  onDone?: () => void;
}) {
  const { sites, isAdmin, openCreateSite } = useSession();
  const inbox = useShellStatus();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        setOpen(false);
        root.current?.querySelector<HTMLButtonElement>('.switcher-button')?.focus();
      }
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]') ?? [])];
        const index = items.indexOf(document.activeElement as HTMLButtonElement);
        const next = event.key === 'ArrowDown' ? (index + 1) % items.length : (index - 1 + items.length) % items.length;
        items[next]?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    menu.current?.querySelector<HTMLButtonElement>('[aria-checked="true"], [role^="menuitem"]')?.focus();
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const choose = (site: Site) => {
    setOpen(false);
    onDone?.();
    navigate(`/sites/${encodeURIComponent(site.key)}/${section}`);
  };

  return (
    <div class="switcher" ref={root}>
      <button
        type="button"
        class="switcher-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {current ? (
          <>
            <SiteAvatar site={current} />
            <span class="switcher-text">
              <span class="switcher-name">{current.name}</span>
              <span class="switcher-key">{current.key}</span>
            </span>
          </>
        ) : (
          <span class="switcher-text">
            <span class="switcher-name">{sites.length ? t('chooseSite') : t('noSitesYet')}</span>
          </span>
        )}
        <ChevronsUpDownIcon size={16} class="switcher-chevron" />
      </button>
      {open && (
        <div class="switcher-menu" role="menu" aria-label={t('sites')} ref={menu}>
          {sites.length > 0 && <p class="menu-heading">{t('yourSites')}</p>}
          <div class="switcher-list">
            {sites.map((site) => (
              <button
                type="button"
                role="menuitemradio"
                aria-checked={site.id === current?.id}
                class="menu-item"
                key={site.id}
                onClick={() => choose(site)}
              >
                <SiteAvatar site={site} />
                <span class="switcher-text">
                  <span class="switcher-name">{site.name}</span>
                  <span class="switcher-key">{site.key}</span>
                </span>
                {inbox.unread(site.id) > 0 && (
                  <span class="count-pill" role="img" aria-label={t('unreadCount', { count: inbox.unread(site.id) })}>
                    {inbox.unread(site.id)}
                  </span>
                )}
                {site.id === current?.id && <CheckIcon size={16} class="menu-check" />}
              </button>
            ))}
          </div>
          {isAdmin && (
            <>
              {sites.length > 0 && <div class="menu-divider" />}
              <button
                type="button"
                role="menuitem"
                class="menu-item"
                onClick={() => {
                  setOpen(false);
                  onDone?.();
                  openCreateSite();
                }}
              >
                <span class="site-avatar site-avatar-new" aria-hidden="true">
                  <PlusIcon size={14} />
                </span>
                <span class="switcher-name">{t('newSite')}</span>
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}

/** The site's initial on its widget colour: the same colour visitors see. */
export function SiteAvatar({ site }: { site: Site }) {
  return (
    <span
      class="site-avatar"
      style={{ background: site.widget.color, color: contrastText(site.widget.color) }}
      aria-hidden="true"
    >
      {(site.name.trim()[0] ?? site.key[0] ?? '?').toUpperCase()}
    </span>
  );
}
