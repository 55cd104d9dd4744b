import { useEffect, useState } from 'preact/hooks';

/**
 * A small History API router. The dashboard has a handful of routes under one base path, so a
 * 60-line router beats a dependency: matching is a pure function (tested), navigation is
 * `pushState` plus one event that `useLocation` listens to.
 */
export const BASE = '/app';

const NAVIGATE_EVENT = 'beckon:navigate';

/** `/app/sites/x` → `/sites/x`; `/app` and `/app/` → `/`; paths outside the app → null. */
export function stripBase(pathname: string, base = BASE): string | null {
  if (pathname === base || pathname === `${base}/`) return '/';
  if (!pathname.startsWith(`${base}/`)) return null;
  return pathname.slice(base.length);
}

/** An in-app path (`/sites/demo/live`) → the URL the browser shows (`/app/sites/demo/live`). */
export function href(path: string, base = BASE): string {
  if (path === '/' || path === '') return `${base}/`;
  return base + (path.startsWith('/') ? path : `/${path}`);
}

const segments = (path: string) => path.split('/').filter(Boolean);

/**
 * Matches `/sites/:key/live` against `/sites/demo/live` → `{ key: 'demo' }`.
 * A trailing `*` matches the rest of the path. Trailing slashes never matter.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = segments(pattern);
  const have = segments(path);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    if (part === '*') {
      params['*'] = have.slice(i).join('/');
      return params;
    }
    const actual = have[i];
    if (actual === undefined) return null;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (part !== actual) {
      return null;
    }
  }
  return have.length === want.length ? params : null;
}

export interface Route<T> {
  path: string;
  value: T;
}

/** The first route whose pattern matches, with its params. */
export function matchRoutes<T>(
  routes: ReadonlyArray<Route<T>>,
  path: string,
): { value: T; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { value: route.value, params };
  }
  return null;
}

export interface Location {
  /** Path inside the app, e.g. `/sites/demo/live`; null when the URL is outside `/app/`. */
  path: string | null;
  search: URLSearchParams;
}

export function readLocation(): Location {
  return { path: stripBase(location.pathname), search: new URLSearchParams(location.search) };
}

/** Go to an in-app path (`/team`) or a full app URL with query (`/sites/x/live?y=1`). */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  const url = href(path);
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  if (!replace) window.scrollTo(0, 0);
}

/** Re-renders the caller whenever the URL changes (links, back/forward). */
export function useLocation(): Location {
  const [loc, setLoc] = useState(readLocation);
  useEffect(() => {
    const update = () => setLoc(readLocation());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATE_EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATE_EVENT, update);
    };
  }, []);
  return loc;
}

/** Should a click on an in-app link be handled by the router (not a new tab, download, …)? */
export function isPlainLeftClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
