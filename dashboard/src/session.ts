import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me, Site } from '@beckon/sdk/protocol';
import type { DashboardLocale } from './lib/i18n';

/** Who is signed in, the sites they may see, and the few actions every page may need. */
export interface Session {
  me: Me;
  sites: Site[];
  isAdmin: boolean;
  /** Insert or replace one site (after a create, a save, or a `site:updated` push). */
  upsertSite(site: Site): void;
  /** Refetch one site; drops it from the list when the agent may no longer see it. */
  refreshSite(siteId: string): Promise<void>;
  openCreateSite(): void;
  /** The language the dashboard speaks now. */
  locale: DashboardLocale;
  /** Switches the dashboard's language and saves it on the agent. */
  setLanguage(locale: DashboardLocale): Promise<void>;
  logout(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in app');
  return session;
}

/** Sites sorted for the switcher: by name, then key, so the order is stable. */
export function sortSites(sites: Site[]): Site[] {
  return [...sites].sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
}

export function upsertById<T extends { id: string }>(list: T[], item: T): T[] {
  const index = list.findIndex((x) => x.id === item.id);
  if (index === -1) return [...list, item];
  const next = [...list];
  next[index] = item;
  return next;
}
