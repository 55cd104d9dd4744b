import type { Callback, CallbackOutcome, RoutingRule } from '@beckon/sdk/protocol';
import { t } from './i18n';

const outcomeKeys = {
  reached: 'outcomeReached',
  no_answer: 'outcomeNoAnswer',
  wrong_number: 'outcomeWrongNumber',
  converted: 'outcomeConverted',
  not_interested: 'outcomeNotInterested',
} as const;
export const callbackOutcomes = Object.keys(outcomeKeys) as CallbackOutcome[];
/** An outcome in the dashboard's language. */
export const outcomeLabel = (outcome: CallbackOutcome) => t(outcomeKeys[outcome]);

/** The open queue, soonest deadline first (`orderQueue` puts it in the order shown); finished callbacks leave it. */
export function mergeIntoQueue(queue: readonly Callback[], changed: readonly Callback[]): Callback[] {
  const byId = new Map(queue.map((callback) => [callback.id, callback]));
  for (const callback of changed) {
    if (callback.status === 'done') byId.delete(callback.id);
    else byId.set(callback.id, callback);
  }
  return [...byId.values()].sort(byDeadline);
}

const byDeadline = (a: Callback, b: Callback) =>
  Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.createdAt.localeCompare(b.createdAt);

/**
 * The rules of a site's routing that pick hot leads out (their conditions name "hot"): a hot callback
 * one of them routed is what "routing says hot first" means.
 */
export function hotLeadRules(rules: readonly RoutingRule[]): ReadonlySet<string> {
  return new Set(
    rules.filter((rule) => rule.enabled && rule.conditions.temperatures?.includes('hot')).map((rule) => rule.id),
  );
}

/** Why a callback sits where it does in the queue, shown on its row. */
export type QueuePlace = { kind: 'overdue' } | { kind: 'hot_rule'; ruleName: string } | { kind: 'deadline' };

export function queuePlace(callback: Callback, now: number, hotRules: ReadonlySet<string>): QueuePlace {
  if (callback.status === 'pending' && (callback.overdueAt || Date.parse(callback.dueAt) <= now))
    return { kind: 'overdue' };
  const routing = callback.routing;
  const ruleId = routing && routing.kind !== 'default' ? routing.ruleId : undefined;
  if (callback.temperature === 'hot' && ruleId && hotRules.has(ruleId))
    return { kind: 'hot_rule', ruleName: (routing as { ruleName?: string }).ruleName ?? 'a rule' };
  return { kind: 'deadline' };
}

const tier = { overdue: 0, hot_rule: 1, deadline: 2 } as const;

/**
 * The order agents work the queue in: overdue first (the longest overdue at the top), then hot leads a
 * routing rule for hot leads assigned, then everything else by deadline — so a callback booked for
 * tomorrow never sits above a "call me now" whose minutes ran out.
 */
export function orderQueue(
  queue: readonly Callback[],
  now: number,
  hotRules: ReadonlySet<string>,
): { callback: Callback; place: QueuePlace }[] {
  return queue
    .map((callback) => ({ callback, place: queuePlace(callback, now, hotRules) }))
    .sort((a, b) => tier[a.place.kind] - tier[b.place.kind] || byDeadline(a.callback, b.callback));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "4:05" under an hour, "2 h 10 min" under a day, else "3 d". */
export function formatSpan(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}:${pad(seconds % 60)}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 24 * 60) return t('spanHours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  return t('spanDays', { days: Math.floor(minutes / (24 * 60)) });
}

export type DeadlineState = 'overdue' | 'soon' | 'waiting' | 'calling';

/** How urgent a callback is now: overdue past its deadline, "soon" in its last two minutes. */
export function deadline(
  callback: Pick<Callback, 'dueAt' | 'status' | 'overdueAt'>,
  now: number,
): { state: DeadlineState; label: string } {
  const left = Date.parse(callback.dueAt) - now;
  if (callback.status === 'calling') return { state: 'calling', label: t('calling') };
  if (left <= 0 || callback.overdueAt) return { state: 'overdue', label: t('overdueBy', { span: formatSpan(left) }) };
  return { state: left <= 120_000 ? 'soon' : 'waiting', label: t('timeLeft', { span: formatSpan(left) }) };
}

/** A `datetime-local` value (the agent's own timezone) → ISO instant; empty or invalid → null. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The `datetime-local` value for an instant in the agent's timezone. */
export function isoToLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `tel:` link target: E.164 is already a valid tel URI body. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^+\d]/g, '')}`;

/** The blocked-prefixes textarea: one prefix per line (spaces and dashes ignored), duplicates dropped. */
export function parsePrefixes(text: string): { prefixes: string[]; invalid: string[] } {
  const entries = text
    .split(/[\n,]+/)
    .map((entry) => entry.replace(/[\s().-]/g, ''))
    .filter(Boolean);
  return {
    prefixes: [...new Set(entries.filter((entry) => /^\+\d{1,14}$/.test(entry)))],
    invalid: entries.filter((entry) => !/^\+\d{1,14}$/.test(entry)),
  };
}
