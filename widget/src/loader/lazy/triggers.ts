import type { Core } from '@beckon/sdk/core';
import type { LiveAnswer, PublicSiteConfig, PublicTrigger, VisitorInvitation } from '@beckon/sdk/protocol';
import type { Channel, OpenOptions } from '../../shared/contract.js';

/**
 * The proactive trigger engine: a lazy chunk the loader imports only when the site config has enabled
 * triggers or an agent's invitation arrives. It reads the tracker's signals from the core's events
 * (`pageview`, `exit_intent`, `open`/`close`, `answer`) and measures time and scroll itself.
 *
 * Rules: every condition of a rule must hold; never while a Beckon panel is open; never while the
 * visitor types (a key pressed in the page or the widget in the last `typingQuietMs`: the rule waits and
 * is checked again); at most one trigger per page view; caps once per session or once per N days.
 * Caps are kept in sessionStorage / localStorage only when the consent gate allows storage (analytics);
 * before that they live in this page's memory, so a reload in `required` mode before consent can show a
 * session-capped trigger again.
 */

export interface TriggerHost {
  core: Core;
  config: Pick<PublicSiteConfig, 'siteKey' | 'name'> & { triggers?: PublicTrigger[] };
  endpoint: string;
  open(channel: Channel, options?: OpenOptions): void;
  /** Test seams. */
  now?: () => number;
  win?: Window;
}

export type TriggerEvent =
  | { trigger: string; action: PublicTrigger['action']['kind']; state: 'shown' | 'accepted' | 'dismissed' }
  | { invitation: string; state: 'shown' | 'accepted' | 'dismissed' };

/** Keys pressed this recently mean "typing": a trigger waits. */
export const typingQuietMs = 3000;
const tickMs = 1000;
const dayMs = 86_400_000;

/** `*` matches any run of characters; everything else literally, case-insensitively (as scoring rules). */
export function globMatches(pattern: string, path: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(path);
}

/** Scroll depth in percent (0–100) of the current page. */
function scrollPercent(win: Window): number {
  const doc = win.document.documentElement;
  const height = doc.scrollHeight;
  const view = win.innerHeight;
  if (height <= view + 1) return 100;
  return Math.min(100, Math.round(((win.scrollY + view) / height) * 100));
}

type Caps = Record<string, number>;

export function startTriggers(host: TriggerHost): (answer: LiveAnswer) => void {
  const { core, config } = host;
  const win = host.win ?? window;
  const doc = win.document;
  const now = host.now ?? Date.now;
  const rules = (config.triggers ?? []).slice(0, 20);
  const capKey = `beckon:${config.siteKey}:triggers`;
  const memory: { session: Caps; days: Caps } = { session: {}, days: {} };

  // Page-view state, reset on navigation.
  let visibleMs = 0;
  let visibleSince = doc.visibilityState === 'visible' ? now() : -1;
  let depth = 0;
  let exitIntent = false;
  let firedThisPage = false;
  // Visitor state.
  let hotAt = 0;
  let typedAt = -Infinity;
  let panelOpen = false;
  let active: TriggerEvent | undefined;
  const invitations = new Set<string>();
  let pendingInvite: VisitorInvitation | undefined;

  const storageAllowed = () => core.getConsent().analytics;
  const store = (kind: 'session' | 'days') => {
    try {
      return kind === 'session' ? win.sessionStorage : win.localStorage;
    } catch {
      return undefined;
    }
  };
  function readCaps(kind: 'session' | 'days'): Caps {
    const caps = { ...memory[kind] };
    if (storageAllowed()) {
      try {
        Object.assign(caps, JSON.parse(store(kind)?.getItem(capKey) ?? '{}') as Caps);
      } catch {
        // Unreadable storage: memory still holds this page's caps.
      }
    }
    return caps;
  }
  function writeCap(kind: 'session' | 'days', id: string) {
    memory[kind][id] = now();
    if (!storageAllowed()) return;
    try {
      store(kind)?.setItem(capKey, JSON.stringify({ ...readCaps(kind), [id]: now() }));
    } catch {
      // Full or refused storage: the cap holds for this page only.
    }
  }
  const capped = (rule: PublicTrigger) => {
    const { frequency } = rule;
    if (frequency.kind === 'session') return rule.id in readCaps('session');
    const at = readCaps('days')[rule.id];
    return at !== undefined && now() - at < frequency.days * dayMs;
  };

  /** The stored visit (after an analytics grant) knows the visit number and the landing UTM source. */
  function visit(): { n?: number; c?: { utm?: { source?: string } } } {
    if (!storageAllowed()) return {};
    try {
      return JSON.parse(win.localStorage.getItem(`beckon:${config.siteKey}:visit`) ?? '{}') as ReturnType<typeof visit>;
    } catch {
      return {};
    }
  }

  const elapsed = () => visibleMs + (visibleSince >= 0 ? now() - visibleSince : 0);

  function holds(rule: PublicTrigger): boolean {
    const c = rule.conditions;
    if (c.timeOnPage !== undefined && elapsed() < c.timeOnPage * 1000) return false;
    if (c.scroll !== undefined && depth < c.scroll) return false;
    if (c.exitIntent && !exitIntent) return false;
    if (c.url !== undefined && !globMatches(c.url, win.location.pathname)) return false;
    if (c.hot && !hotAt) return false;
    if (c.visit !== undefined && (visit().n ?? 1) < c.visit) return false;
    if (c.utmSource !== undefined) {
      const source = visit().c?.utm?.source ?? new URLSearchParams(win.location.search).get('utm_source') ?? '';
      if (source.toLowerCase() !== c.utmSource.toLowerCase()) return false;
    }
    return true;
  }

  const typing = () => now() - typedAt < typingQuietMs;

  function report(event: TriggerEvent) {
    const name = `trigger:${event.state}`;
    core.track(
      name,
      'trigger' in event ? { trigger: event.trigger, action: event.action } : { invitation: event.invitation },
    );
    core.emit('trigger', event);
  }

  function postInvitation(id: string, state: 'seen' | 'declined') {
    void win
      .fetch(`${host.endpoint}/v1/invitations/${encodeURIComponent(id)}`, {
        method: 'POST',
        body: JSON.stringify({ site: config.siteKey, visitorId: core.visitorId, state }),
        headers: { 'content-type': 'text/plain' },
        credentials: 'omit',
        keepalive: true,
      })
      .catch(() => {});
  }

  function evaluate() {
    if (pendingInvite && !typing()) {
      const invite = pendingInvite;
      pendingInvite = undefined;
      active = { invitation: invite.id, state: 'shown' };
      report(active);
      postInvitation(invite.id, 'seen');
      host.open('chat', { message: invite.message, from: invite.agentName, invitationId: invite.id, unasked: true });
      return;
    }
    if (firedThisPage || panelOpen || typing() || doc.visibilityState !== 'visible') return;
    for (const rule of rules) {
      if (!holds(rule) || capped(rule)) continue;
      firedThisPage = true;
      writeCap(rule.frequency.kind, rule.id);
      active = { trigger: rule.id, action: rule.action.kind, state: 'shown' };
      report(active);
      const { kind, message } = rule.action;
      // `unasked`: on a phone the UI shows the words in a bubble rather than a panel over the whole screen.
      host.open(kind, kind === 'feedback' ? { kind: 'nps', message, unasked: true } : { message, unasked: true });
      return;
    }
  }

  /** What the visitor did with the trigger on screen: took it up, or closed the panel. */
  function settle(state: 'accepted' | 'dismissed') {
    if (!active) return;
    const event = { ...active, state } as TriggerEvent;
    active = undefined;
    report(event);
    if ('invitation' in event && state === 'dismissed') postInvitation(event.invitation, 'declined');
  }

  const onKey = () => {
    typedAt = now();
  };
  const onScroll = () => {
    const next = scrollPercent(win);
    if (next > depth) {
      depth = next;
      evaluate();
    }
  };
  const onVisibility = () => {
    if (doc.visibilityState === 'visible') visibleSince = now();
    else if (visibleSince >= 0) {
      visibleMs += now() - visibleSince;
      visibleSince = -1;
    }
  };
  // Keys typed inside the widget's shadow root reach the document too (keydown is composed).
  doc.addEventListener('keydown', onKey, { capture: true, passive: true });
  win.addEventListener('scroll', onScroll, { passive: true });
  doc.addEventListener('visibilitychange', onVisibility);

  core.on('exit_intent', () => {
    exitIntent = true;
    evaluate();
  });
  core.on('pageview', () => {
    visibleMs = 0;
    visibleSince = doc.visibilityState === 'visible' ? now() : -1;
    depth = 0;
    exitIntent = firedThisPage = false;
  });
  core.on('open', () => {
    panelOpen = true;
  });
  core.on('close', () => {
    panelOpen = false;
    settle('dismissed');
  });
  // Taking the trigger up: a chat message, a callback request, a feedback answer.
  core.on('message', (message) => {
    if ((message as { author?: string }).author === 'visitor') settle('accepted');
  });
  core.on('callback:requested', () => settle('accepted'));
  core.on('feedback:sent', () => settle('accepted'));

  win.setInterval(evaluate, tickMs);
  evaluate();

  /**
   * Collect and keepalive answers, and the chat socket's pushes, as the loader hands them over:
   * "became hot" and an agent's invitation.
   */
  return (answer) => {
    if (answer.hot && !hotAt) {
      hotAt = answer.hot;
      evaluate();
    }
    const invite = answer.invite;
    if (invite && !invitations.has(invite.id)) {
      invitations.add(invite.id);
      pendingInvite = invite;
      evaluate();
    }
  };
}
