/**
 * A minimal History API router: same-origin links are intercepted and turned into `pushState`,
 * back/forward re-render through `popstate`. Nothing here knows about Beckon — the SDK notices the
 * navigations by itself.
 */
export interface Page {
  title: string;
  render(): HTMLElement;
}

export interface Router {
  /** Renders the page for the current URL; call once at start. */
  start(): void;
  navigate(path: string): void;
}

export function createRouter(options: {
  routes: Record<string, Page>;
  notFound: Page;
  outlet: HTMLElement;
  onRender?: (path: string) => void;
}): Router {
  const { routes, notFound, outlet } = options;
  const normalise = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);
  const pageFor = (path: string) => routes[normalise(path)] ?? notFound;

  function render() {
    const page = pageFor(location.pathname);
    document.title = `${page.title} · Skyline`;
    outlet.replaceChildren(page.render());
    options.onRender?.(location.pathname);
  }

  function navigate(path: string) {
    const url = new URL(path, location.href);
    if (url.href === location.href) {
      window.scrollTo(0, 0);
      return;
    }
    // The title goes first: the SDK records the pageview inside pushState and reads document.title then.
    document.title = `${pageFor(url.pathname).title} · Skyline`;
    history.pushState(null, '', url);
    render();
    window.scrollTo(0, 0);
  }

  function onClick(event: MouseEvent) {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    const link = (event.target as Element | null)?.closest?.('a[href]');
    if (!(link instanceof HTMLAnchorElement)) return;
    if (link.target && link.target !== '_self') return;
    if (link.hasAttribute('download') || link.origin !== location.origin) return;
    event.preventDefault();
    navigate(link.pathname + link.search + link.hash);
  }

  return {
    start() {
      document.addEventListener('click', onClick);
      addEventListener('popstate', render);
      render();
    },
    navigate,
  };
}
