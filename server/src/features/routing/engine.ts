import type {
  RoutingChannel,
  RoutingChoice,
  RoutingConditions,
  RoutingRule,
  RoutingStrategy,
  Temperature,
} from '@beckon/sdk/protocol';
import { globMatches, pathOf } from '../scoring/index.js';

/** What routing knows about a contact when it decides (all from rows already loaded for the round). */
export interface RoutingFacts {
  channel: RoutingChannel;
  temperature: Temperature | null;
  /** The visitor's current page (full URL or path). */
  url: string | null;
  utmSource: string | null;
  referrerDomain: string | null;
  paidClick: boolean;
  /** Lowercased language tag, e.g. `de-at`. */
  language: string | null;
}

export interface RoutingItem {
  id: string;
  facts: RoutingFacts;
  /** The agent who handled this contact before (same chat visitor, or same lead). */
  previousAgentId: string | null;
  /** Reassignment: never back to this agent while someone else is eligible. */
  excludeAgentId?: string | null;
}

export interface RoutingDecision {
  id: string;
  agentId: string;
  routing: RoutingChoice;
}

export interface RoundState {
  /** Round-robin turn: when each agent last got an automatic assignment (larger = more recent). */
  marks: Map<string, number>;
  /** Open assigned conversations + open callbacks per agent, on every site they serve (least busy). */
  load: Map<string, number>;
}

/** Whether every condition the rule sets holds for these facts. */
export function ruleMatches(conditions: RoutingConditions, facts: RoutingFacts): boolean {
  if (conditions.channel && conditions.channel !== facts.channel) return false;
  if (conditions.temperatures?.length && !(facts.temperature && conditions.temperatures.includes(facts.temperature)))
    return false;
  if (conditions.page) {
    if (!facts.url) return false;
    // A pattern with a scheme is matched against the whole URL, any other against the path.
    const subject = /^[a-z]+:\/\//i.test(conditions.page) ? facts.url : pathOf(facts.url);
    if (!globMatches(conditions.page, subject)) return false;
  }
  if (conditions.source) {
    const source = conditions.source;
    if (source.kind === 'paid' && !facts.paidClick) return false;
    if (source.kind === 'utm_source' && facts.utmSource?.toLowerCase() !== source.value.toLowerCase()) return false;
    if (source.kind === 'referrer') {
      const want = source.value.replace(/^www\./, '');
      const have = facts.referrerDomain?.toLowerCase().replace(/^www\./, '');
      if (!have || (have !== want && !have.endsWith(`.${want}`))) return false;
    }
  }
  if (conditions.languages?.length) {
    const language = facts.language;
    if (!language || !conditions.languages.some((prefix) => language === prefix || language.startsWith(`${prefix}-`)))
      return false;
  }
  return true;
}

/** The agents a rule may give work to: its team's members or its one agent. */
export function targetAgents(rule: RoutingRule, teams: ReadonlyMap<string, readonly string[]>): readonly string[] {
  return rule.target.kind === 'agent' ? [rule.target.agentId] : (teams.get(rule.target.teamId) ?? []);
}

/** The candidate whose last automatic assignment is oldest (never assigned first); ties by id, so stable. */
export function pickRoundRobin(candidates: readonly string[], state: RoundState): string | undefined {
  return [...candidates].sort((a, b) => (state.marks.get(a) ?? 0) - (state.marks.get(b) ?? 0) || a.localeCompare(b))[0];
}

/** The candidate with the fewest open conversations and callbacks; ties go round-robin. */
export function pickLeastBusy(candidates: readonly string[], state: RoundState): string | undefined {
  const least = Math.min(...candidates.map((id) => state.load.get(id) ?? 0));
  return pickRoundRobin(
    candidates.filter((id) => (state.load.get(id) ?? 0) === least),
    state,
  );
}

const pick = (strategy: RoutingStrategy, candidates: readonly string[], state: RoundState) =>
  strategy === 'least_busy' ? pickLeastBusy(candidates, state) : pickRoundRobin(candidates, state);

/**
 * Decides one contact: the first enabled rule whose conditions hold and whose target has an eligible
 * online agent (else the next rule), then sticky (the previous agent, if online and in that target),
 * then the rule's strategy. No rule: the previous agent if online, else round-robin over everyone online.
 * Null when nobody eligible is online.
 */
export function decide(
  item: RoutingItem,
  rules: readonly RoutingRule[],
  teams: ReadonlyMap<string, readonly string[]>,
  online: readonly string[],
  state: RoundState,
): RoutingDecision | null {
  const onlineSet = new Set(online);
  const eligible = (ids: readonly string[]) => {
    const present = ids.filter((id) => onlineSet.has(id));
    // Never back to the same agent while someone else can take it.
    const others = present.filter((id) => id !== item.excludeAgentId);
    return others;
  };
  const previous =
    item.previousAgentId && item.previousAgentId !== item.excludeAgentId && onlineSet.has(item.previousAgentId)
      ? item.previousAgentId
      : null;
  for (const rule of rules) {
    if (!rule.enabled || !ruleMatches(rule.conditions, item.facts)) continue;
    const candidates = eligible(targetAgents(rule, teams));
    if (candidates.length === 0) continue;
    if (previous && candidates.includes(previous))
      return { id: item.id, agentId: previous, routing: { kind: 'sticky', ruleId: rule.id, ruleName: rule.name } };
    return {
      id: item.id,
      agentId: pick(rule.strategy, candidates, state)!,
      routing: { kind: 'rule', ruleId: rule.id, ruleName: rule.name, strategy: rule.strategy },
    };
  }
  if (previous) return { id: item.id, agentId: previous, routing: { kind: 'sticky' } };
  const everyone = eligible(online);
  if (everyone.length === 0) return null;
  return {
    id: item.id,
    agentId: pickRoundRobin(everyone, state)!,
    routing: { kind: 'default', strategy: 'round_robin' },
  };
}

/**
 * Decides a round of contacts in order; each decision updates the round's turn and load, so a burst of
 * chats spreads like one-by-one arrivals would. `state` is changed in place.
 */
export function routeRound(
  items: readonly RoutingItem[],
  rules: readonly RoutingRule[],
  teams: ReadonlyMap<string, readonly string[]>,
  online: readonly string[],
  state: RoundState,
): RoutingDecision[] {
  let clock = Math.max(0, ...state.marks.values());
  const decisions: RoutingDecision[] = [];
  for (const item of items) {
    const decision = decide(item, rules, teams, online, state);
    if (!decision) continue;
    state.marks.set(decision.agentId, ++clock);
    state.load.set(decision.agentId, (state.load.get(decision.agentId) ?? 0) + 1);
    decisions.push(decision);
  }
  return decisions;
}

/** hot → 0, warm → 1, cold → 2, unknown → 3: the order of every queue. */
export const temperatureRank = (temperature: Temperature | null | undefined) =>
  temperature === 'hot' ? 0 : temperature === 'warm' ? 1 : temperature === 'cold' ? 2 : 3;

/** `de-AT,de;q=0.9,en;q=0.8` → `de-at`; anything odd → null. */
export function primaryLanguage(header: string | null | undefined): string | null {
  const first = header?.split(',')[0]?.split(';')[0]?.trim().toLowerCase();
  return first && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(first) && first.length <= 35 ? first : null;
}
