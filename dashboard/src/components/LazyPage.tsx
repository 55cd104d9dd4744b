import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { catalogsReady } from '../lib/i18n';
import { AlertIcon } from './Icons';
import { EmptyState, PageHeader, Spinner } from './PageHeader';
import { t } from './i18n';

export type LazyPage<P> = FunctionComponent<P> & {
  /** Starts fetching the page's chunk (hover on a link, idle time); the same promise as the first render's. */
  preload(): Promise<unknown>;
};

/**
 * A component's code fetched once, shared by every place that renders it: `preload` starts the fetch (the same
 * promise each time, a new one after a failure), and `useLoaded` renders with it once it is there.
 */
export function lazily<P>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  const preload = () => {
    pending ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        pending = undefined; // the next attempt fetches again
        throw error;
      },
    );
    return pending;
  };
  /** The loaded component, or whether the fetch failed (`retry` fetches again); fetched once `wanted`. */
  function useLoaded(wanted = true) {
    // An initialiser function, not the value: useState would call a loaded component (a function) as its initialiser.
    const [, setLoaded] = useState<ComponentType<P> | undefined>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (!wanted || loaded || failed) return;
      let mounted = true;
      preload().then(
        (component) => mounted && setLoaded(() => component),
        () => mounted && setFailed(true),
      );
      return () => {
        mounted = false;
      };
    }, [failed, wanted]);
    return { Component: loaded, failed, retry: () => setFailed(false) };
  }
  return { preload, useLoaded };
}

/** What a page or dialog whose chunk did not arrive shows: the notice and a retry. */
export function LoadFailed({ retry }: { retry: () => void }) {
  return (
    <EmptyState
      icon={<AlertIcon size={22} />}
      title={t('pageLoadFailed')}
      actions={
        <button type="button" class="btn btn-primary" onClick={retry}>
          {t('pageLoadRetry')}
        </button>
      }
    >
      {t('pageLoadFailedHint')}
    </EmptyState>
  );
}

/**
 * A page whose code is fetched the first time it is shown, so the first load carries only sign-in, the
 * shell and the Inbox. One line per route in App:
 *
 * ```ts
 * const TeamPage = lazyPage(() => import('./features/team/page').then((page) => page.TeamPage), () => appT('titleTeam'));
 * ```
 *
 * While the chunk (and its CSS, and its catalogues in the current language) arrives, the page's place shows
 * its title (in the page's width) and a spinner where the page's own loading state will be, so nothing jumps when it renders.
 * A failed fetch (offline, or a deploy replaced the chunk) shows a retry. Once loaded the page renders
 * synchronously on every later visit.
 */
export function lazyPage<P extends object>(
  load: () => Promise<ComponentType<P>>,
  title: () => string,
  /** `wide` for pages drawn in `page page-wide`, so the placeholder's title sits where the page's will. */
  width: 'normal' | 'wide' = 'normal',
): LazyPage<P> {
  // The module registered its catalogues on import: wait for the current language's before painting.
  const { preload, useLoaded } = lazily(() =>
    load().then(async (page) => {
      await catalogsReady().catch(() => undefined);
      return page;
    }),
  );

  function Lazy(props: P) {
    const { Component, failed, retry } = useLoaded();
    if (Component) return <Component {...props} />;
    return (
      <div class={width === 'wide' ? 'page page-wide' : 'page'}>
        <PageHeader title={title()} />
        {failed ? <LoadFailed retry={retry} /> : <Spinner />}
      </div>
    );
  }
  return Object.assign(Lazy, { preload });
}
