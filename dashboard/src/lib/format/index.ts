import type { ConversationSummary, RoutingChoice, RoutingStrategy } from '@beckon/sdk/protocol';
import { assignmentCause, displayName, formerAgentName, visitorLabelCode } from '@beckon/sdk/protocol/constants';
import type { ConversationEvent } from '../../api';
import { currentLocale } from '../i18n';
import { t } from './i18n';
import { shownPhone, withShownPhones } from './phone';

export { loadPhoneFormat, shownPhone, usePhoneFormat } from './phone';

const DAY = 86_400_000;

const startOfDay = (ms: number) => {
  const date = new Date(ms);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
};

/** Calendar days between two instants in local time (DST-safe). */
export function daysBetween(earlier: number, later: number): number {
  return Math.round((startOfDay(later) - startOfDay(earlier)) / DAY);
}

/** Compact time for list rows: "now", "4m", "3h", "Yesterday", "Tue", "12 Mar", "12 Mar 2024". */
export function shortTime(iso: string, now: number, locale: string = currentLocale()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return t('timeNow');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('timeMinutesShort', { count: minutes });
  const days = daysBetween(then, now);
  if (days === 0) return t('timeHoursShort', { count: Math.floor(minutes / 60) });
  if (days === 1) return t('yesterday');
  const date = new Date(then);
  if (days < 7) return date.toLocaleDateString(locale, { weekday: 'short' });
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
}

/** Day separators in a conversation: "Today", "Yesterday", "Monday, 3 March". */
export function dayLabel(iso: string, now: number, locale: string = currentLocale()): string {
  const then = Date.parse(iso);
  const days = daysBetween(then, now);
  if (days === 0) return t('today');
  if (days === 1) return t('yesterday');
  const date = new Date(then);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

/** Local calendar day key, to group messages under separators. */
export const dayKey = (iso: string) => {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
};

export function clockTime(iso: string, locale: string = currentLocale()): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });
}

export function fullTime(iso: string, locale: string = currentLocale()): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A visible tab's keepalive says "still here" at least once a minute: within this the visitor is on the page. */
const presentWithinMs = 90_000;

/** "Here now" while the visitor is active (typing, or seen within the keepalive's rhythm), else "4 min ago". */
export function seenLabel(seenAt: string, now: number, typing = false): string {
  if (typing) return t('hereNowTyping');
  const then = Date.parse(seenAt);
  return !Number.isNaN(then) && now - then <= presentWithinMs ? t('hereNow') : age(seenAt, now);
}

/** The latest of some instants (ISO), ignoring missing ones. */
export function latestOf(...instants: (string | null | undefined)[]): string | null {
  let latest: string | null = null;
  for (const at of instants) if (at && (!latest || Date.parse(at) > Date.parse(latest))) latest = at;
  return latest;
}

// An ISO 8601 instant as the server writes them (`Date.toISOString()`, or with an offset).
const isoInstant = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * Server-written text ("Asked to be called at 2026-12-05T14:30:00.000Z on +4930901820") with every instant in
 * it shown in the agent's own time zone, and every phone number as agents read it (`shownPhone`). The server
 * keeps instants in ISO 8601 and numbers in E.164 in what it stores, so CSV exports, webhooks and the API stay
 * machine-readable, and each agent reads them in their own time.
 */
export function withLocalTimes(text: string, locale: string = currentLocale()): string {
  return withShownPhones(
    text.replace(isoInstant, (iso) => {
      const time = Date.parse(iso);
      return Number.isNaN(time) ? iso : fullTime(iso, locale);
    }),
  );
}

/**
 * An instant in the visitor's own clock, labelled, when their zone differs from the agent's:
 * "2:30 PM for the visitor (Europe/London)"; null when it is the same clock or the zone is unknown.
 */
export function timeForVisitor(
  iso: string,
  visitorZone: string,
  locale: string = currentLocale(),
  agentZone = Intl.DateTimeFormat().resolvedOptions().timeZone,
): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  try {
    const clock = (timeZone: string) =>
      date.toLocaleString(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
    if (clock(visitorZone) === clock(agentZone)) return null;
    const sameDay =
      date.toLocaleDateString(locale, { timeZone: visitorZone }) ===
      date.toLocaleDateString(locale, { timeZone: agentZone });
    const shown = sameDay
      ? date.toLocaleTimeString(locale, { timeZone: visitorZone, hour: 'numeric', minute: '2-digit' })
      : clock(visitorZone);
    return t('timeForVisitor', { time: shown, zone: visitorZone.replaceAll('_', ' ') });
  } catch {
    return null;
  }
}

/**
 * A display name as this agent reads it: the "Visitor 7F3K" label (`visitorLabel` in the sdk) in the
 * dashboard's language, a phone number as agents read it (`shownPhone`), any other name as it is. The
 * server sends finished names and keeps the label in English for the API, webhooks and e-mails, so every
 * place that shows a person's or visitor's name passes it through here.
 */
export function shownName(name: string): string {
  const code = visitorLabelCode(name);
  // A person known only by a phone number is named by it: shown as agents read numbers.
  return code ? t('visitorLabel', { code }) : shownPhone(name);
}

/** An agent's name as this agent reads it: one removed since (`formerAgentName`) in the dashboard's language. */
export function shownAgent(name: string): string {
  return name === formerAgentName ? t('formerAgent') : name;
}

/** The one display name the server sends (the person's), else the same rule over the chat visitor (`displayName`). */
export function visitorLabel(
  visitor: Pick<ConversationSummary['visitor'], 'id' | 'name' | 'email'> &
    Partial<Pick<ConversationSummary['visitor'], 'phone' | 'displayName'>>,
): string {
  return shownName(visitor.displayName ?? displayName(visitor, visitor.id));
}

const strategyName = (strategy: RoutingStrategy) =>
  t(strategy === 'least_busy' ? 'strategyLeastBusy' : 'strategyRoundRobin');

/**
 * "Routed by “Hot leads → Sales” · least busy": the routing decision behind a conversation's or a
 * callback's current assignee, the same words in the inbox and the callback queue. Here rather than in the
 * routing feature so the inbox's first load does not carry the routing page's catalogue.
 */
export function describeRouting(choice: RoutingChoice | null | undefined): string | null {
  if (!choice) return null;
  if (choice.kind === 'rule')
    return t('routedByRule', { rule: choice.ruleName, strategy: strategyName(choice.strategy) });
  if (choice.kind === 'sticky')
    return choice.ruleName ? t('routedSticky', { rule: choice.ruleName }) : t('routedStickyDefault');
  return t('routedDefault', { strategy: strategyName(choice.strategy) });
}

/** The same decision as the reason of an assignment-history line ("Assigned to Bob (…)"). */
function routingText(choice: RoutingChoice): string {
  if (choice.kind === 'rule')
    return t('reasonRule', { rule: choice.ruleName, strategy: strategyName(choice.strategy) });
  if (choice.kind === 'sticky') return t('reasonSticky');
  return t(choice.strategy === 'least_busy' ? 'reasonDefaultLeastBusy' : 'reasonDefaultRoundRobin');
}

/**
 * Why an automatic (re)assignment happened, in the agent's language: what set off a second round (no
 * reply in time, the visitor turned hot), then the routing decision. Null for anything else (an agent's
 * note, or an event older than the structured `routing`), whose stored reason is shown as written.
 */
function automaticReason(event: ConversationEvent): string | null {
  const cause = assignmentCause(event.reason);
  const why = cause
    ? cause.kind === 'unanswered'
      ? t('reasonUnanswered', { count: cause.seconds })
      : t('reasonTurnedHot')
    : null;
  const routing = event.routing ? routingText(event.routing) : null;
  return why && routing ? t('reasonAndRouting', { cause: why, routing }) : (why ?? routing);
}

/** One sentence for an assignment-history line. */
export function eventText(event: ConversationEvent): string {
  // The server stores its reasons in English (for the API and webhooks): automatic ones are worded here
  // from their structure; the rest (an agent's note, an older event) are shown as written.
  const reason = automaticReason(event) ?? event.reason;
  const withReason = (text: string) => (reason ? t('withReason', { text, reason }) : text);
  const nobody = t('nobody');
  // Agents removed since are named in the agent's language.
  const by = shownAgent(event.by);
  const from = event.from === null ? null : shownAgent(event.from);
  const to = event.to === null ? nobody : shownAgent(event.to);
  switch (event.kind) {
    case 'assigned':
      return withReason(t('eventAssigned', { to }));
    case 'taken':
      return from ? t('eventTakenFrom', { by, from }) : t('eventTaken', { by });
    case 'transferred': {
      const text = from ? t('eventTransferredFrom', { by, from, to }) : t('eventTransferred', { by, to });
      return event.reason && !event.reason.startsWith('transferred by')
        ? t('eventTransferNote', { text, note: event.reason })
        : text;
    }
    case 'reassigned':
      return withReason(t('eventReassigned', { from: from ?? nobody, to }));
    case 'unassigned':
      return withReason(t('eventUnassigned'));
    case 'closed':
      return t('eventClosed', { by });
    default:
      return withReason(t('eventOther', { kind: event.kind, by }));
  }
}

/** "3 days ago"-style age for first-seen, at day granularity past a day. */
export function age(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const minutes = Math.max(0, Math.floor((now - then) / 60_000));
  if (minutes < 1) return t('justNow');
  if (minutes < 60) return t('minutesAgo', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('hoursAgo', { count: hours });
  const days = Math.floor(hours / 24);
  if (days < 60) return t('daysAgo', { count: days });
  return t('monthsAgo', { count: Math.floor(days / 30) });
}

/**
 * An e-mail address in the pieces between which a line may break: after the "@" and before each ".",
 * where typesetters break addresses. Rendered with `<wbr>` between them, a long address wraps at
 * those seams instead of in the middle of a name or domain.
 */
export function emailBreakParts(email: string): string[] {
  return email.split(/(?<=@)|(?=\.)/).filter(Boolean);
}
