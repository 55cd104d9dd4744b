import { truncate, type Core } from '@beckon/sdk/core';
import type { EngagementEvent } from '@beckon/sdk/protocol';

type Depth = EngagementEvent['maxScroll'];

/**
 * How far down the page the visitor has seen, in quarters: the bottom of the viewport against the
 * document height. A page that fits the screen is seen whole (100).
 */
export function scrollDepth(scrollY: number, viewportHeight: number, documentHeight: number): Depth {
  if (documentHeight <= viewportHeight + 1) return 100;
  const seen = Math.min(1, (scrollY + viewportHeight) / documentHeight);
  // Sub-pixel layouts can end a few pixels short of the bottom.
  return (seen > 0.99 ? 100 : Math.floor(seen * 4) * 25) as Depth;
}

/** Visible time of a page view: only while the tab is in the foreground (counted from `start`, if given). */
export function createVisibleClock(now: () => number, visible: boolean, start = now()) {
  let total = 0;
  let since = visible ? start : -1;
  return {
    show() {
      if (since < 0) since = now();
    },
    hide() {
      if (since >= 0) total += now() - since;
      since = -1;
    },
    elapsed: () => total + (since >= 0 ? now() - since : 0),
  };
}

/**
 * Mobile exit intent: a fast scroll back up (at least 40 % of the viewport within 300 ms) after the
 * visitor had read down the page — what people do to reach the address bar or the back button.
 */
export function createScrollUpDetector(viewportHeight: () => number) {
  let anchorY = 0;
  let anchorT = 0;
  let deepest = 0;
  return (y: number, t: number): boolean => {
    deepest = Math.max(deepest, y);
    if (y >= anchorY || t - anchorT > 300) {
      anchorY = y;
      anchorT = t;
      return false;
    }
    return deepest > viewportHeight() && anchorY - y > viewportHeight() * 0.4;
  };
}

const formName = (form: HTMLFormElement) =>
  truncate((form.getAttribute('data-beckon-form') || form.getAttribute('name') || form.id || '').trim(), 100) ||
  undefined;

/**
 * What the loader listens to until the shell chunk brings the tracker: the events it keeps for it (with SPA
 * navigations, as URLs), and the page being hidden, when it sends the page view's engagement itself.
 */
export const earlyEventTypes = ['click', 'input', 'submit', 'mouseout', 'visibilitychange'];

/** In the loader's early list: the page view of the moment already had its engagement sent by the loader. */
export const engagementSentMark = 0;
export type EarlyItem = Event | string | typeof engagementSentMark;

/**
 * The behaviour stream of the host page: engagement (visible time, scroll depth) once per page view,
 * outbound link clicks, form start/submit (the form's name only, never values) and exit intent.
 * Every listener is passive and does constant work; scroll is read at most once per animation frame.
 * Consent is not checked here: the core drops what the gate does not allow.
 *
 * It comes with the shell chunk, which the loader imports together with the config: `startedAt` and
 * `startUrl` are when and where the loader ran (the first page view's visible time counts from there), and
 * `early` what the loader kept meanwhile — clicks, inputs, submits and mouse exits, SPA navigations (their
 * URLs), and `engagementSentMark` where the page was hidden or left and the loader sent the engagement
 * itself — handled now in their order.
 */
export function startTracker(
  core: Core,
  dispatch: (args: unknown[]) => void,
  onExitIntent: () => void,
  startedAt = Date.now(),
  startUrl = location.href,
  early: EarlyItem[] = [],
) {
  const doc = document;
  const root = doc.documentElement;
  let pageUrl = startUrl;
  let clock = createVisibleClock(Date.now, doc.visibilityState !== 'hidden', startedAt);
  let depth: Depth = 0;
  let engagementSent = false;
  let exitSent = false;
  let started = new WeakSet<HTMLFormElement>();
  let frame = 0;
  let afterFrame: ReturnType<typeof setTimeout> | undefined;
  const scrolledUpFast = createScrollUpDetector(() => innerHeight);

  // Layout is read only after a scroll (once the next frame has been drawn, when it is clean) and when
  // the page view ends: never while the page loads, where reading it would force the page's first layout
  // early. Not in the animation frame's callback itself: that runs before the frame's style and layout,
  // so after a DOM change (a form replaced) it forced the page's layout and counted as Beckon's script
  // (81 ms in a long animation frame on a busy CI machine). A task queued from it runs after the paint.
  const readDepth = () => {
    const next = scrollDepth(scrollY, innerHeight, root.scrollHeight);
    if (next > depth) depth = next;
  };
  const measure = () => {
    frame = 0;
    readDepth();
    if (scrolledUpFast(scrollY, Date.now())) exit();
  };
  const onScroll = () => {
    frame ||= requestAnimationFrame(() => {
      afterFrame = setTimeout(measure);
    });
  };

  function sendEngagement() {
    if (engagementSent) return;
    engagementSent = true;
    readDepth();
    clock.hide();
    core.record(
      {
        type: 'engagement',
        url: pageUrl,
        visibleMs: Math.min(Math.round(clock.elapsed()), 86_400_000),
        maxScroll: depth,
      },
      0,
    );
  }

  function exit() {
    if (exitSent) return;
    exitSent = true;
    core.record({ type: 'exit_intent', url: pageUrl }, 0);
    onExitIntent();
  }

  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') {
      // Tab hidden: a leaving visitor on mobile; the page may never come back, so send now.
      exit();
      sendEngagement();
      void core.flush({ beacon: true });
    } else clock.show();
  };
  const onPageHide = () => {
    sendEngagement();
    void core.flush({ beacon: true });
  };
  // Desktop exit intent: the pointer leaves the window through the top edge (towards tabs and back).
  const onMouseOut = (event: MouseEvent) => {
    if (!event.relatedTarget && event.clientY <= 0) exit();
  };
  const onClick = (event: Event) => {
    const target = event.target as Element | null;
    // Elements marked `data-beckon-track="name"` (plus `data-beckon-prop-*`) record a `track` event,
    // which scoring rules match by name; the command path checks its limits.
    const marked = target?.closest?.('[data-beckon-track]');
    const name = marked?.getAttribute('data-beckon-track')?.trim();
    if (marked && name) {
      const props: Record<string, string> = {};
      for (const { name: attribute, value } of Array.from(marked.attributes)) {
        if (attribute.startsWith('data-beckon-prop-')) props[attribute.slice(17)] = truncate(value, 500);
      }
      dispatch(['track', truncate(name, 100), props]);
      return;
    }
    const link = target?.closest?.('a[href]') as HTMLAnchorElement | null;
    if (link && /^https?:$/.test(link.protocol) && link.host !== location.host) {
      core.record({ type: 'click', href: truncate(link.href, 2048) });
      // The browser is about to leave the page: hand the batch over now.
      void core.flush({ beacon: true });
    }
  };
  const onForm = (event: Event) => {
    const target = event.target as Element | null;
    const form = (
      event.type === 'submit' ? target : (target as HTMLInputElement | null)?.form
    ) as HTMLFormElement | null;
    if (form?.tagName !== 'FORM') return;
    if (event.type === 'submit') {
      core.record({ type: 'form', action: 'submit', form: formName(form) }, 0);
    } else if (!started.has(form)) {
      started.add(form);
      core.record({ type: 'form', action: 'start', form: formName(form) });
    }
  };

  const listeners: [EventTarget, string, EventListener][] = [
    [window, 'scroll', onScroll],
    [doc, 'visibilitychange', onVisibility],
    [window, 'pagehide', onPageHide],
    [doc, 'mouseout', onMouseOut as EventListener],
    [doc, 'click', onClick],
    [doc, 'input', onForm],
    [doc, 'submit', onForm],
  ];
  for (const [target, type, listener] of listeners)
    target.addEventListener(type, listener, { capture: true, passive: true });

  /** A client-side navigation: the previous page view's engagement goes, the new one starts. */
  function navigated(url: string) {
    sendEngagement();
    pageUrl = url;
    clock = createVisibleClock(Date.now, doc.visibilityState !== 'hidden');
    depth = 0;
    engagementSent = exitSent = false;
    started = new WeakSet();
  }

  for (const item of early) {
    if (item === engagementSentMark) engagementSent = true;
    else if (typeof item === 'string') navigated(item);
    else listeners.find(([target, type]) => target === doc && type === item.type)?.[2](item);
  }

  return {
    navigated,
    stop() {
      for (const [target, type, listener] of listeners) target.removeEventListener(type, listener, { capture: true });
      cancelAnimationFrame(frame);
      clearTimeout(afterFrame);
    },
  };
}
