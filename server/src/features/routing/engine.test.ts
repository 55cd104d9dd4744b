import { describe, expect, it } from 'vitest';
import type { RoutingRule } from '@beckon/sdk/protocol';
import {
  decide,
  pickLeastBusy,
  pickRoundRobin,
  primaryLanguage,
  routeRound,
  ruleMatches,
  temperatureRank,
  type RoutingFacts,
  type RoundState,
} from './engine.js';

const facts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({
  channel: 'chat',
  temperature: 'cold',
  url: 'https://shop.example/products/lamp?x=1',
  utmSource: null,
  referrerDomain: null,
  paidClick: false,
  language: 'en-us',
  ...over,
});
const state = (marks: Record<string, number> = {}, load: Record<string, number> = {}): RoundState => ({
  marks: new Map(Object.entries(marks)),
  load: new Map(Object.entries(load)),
});
const rule = (over: Partial<RoutingRule> & Pick<RoutingRule, 'target'>): RoutingRule => ({
  id: 'rr_test01',
  name: 'Rule',
  enabled: true,
  conditions: {},
  strategy: 'round_robin',
  ...over,
});
const sales = 'team-sales';
const teams = new Map([[sales, ['s1', 's2']]]);

describe('ruleMatches', () => {
  it('matches temperature, page, source, language and channel, all of them', () => {
    expect(ruleMatches({ temperatures: ['hot'] }, facts({ temperature: 'hot' }))).toBe(true);
    expect(ruleMatches({ temperatures: ['hot', 'warm'] }, facts({ temperature: 'cold' }))).toBe(false);
    expect(ruleMatches({ temperatures: ['hot'] }, facts({ temperature: null }))).toBe(false);
    expect(ruleMatches({ page: '/products/*' }, facts())).toBe(true);
    expect(ruleMatches({ page: '*pricing*' }, facts())).toBe(false);
    expect(ruleMatches({ page: 'https://shop.example/*' }, facts())).toBe(true);
    expect(ruleMatches({ page: '*' }, facts({ url: null }))).toBe(false);
    expect(ruleMatches({ source: { kind: 'paid' } }, facts({ paidClick: true }))).toBe(true);
    expect(ruleMatches({ source: { kind: 'paid' } }, facts())).toBe(false);
    expect(
      ruleMatches({ source: { kind: 'utm_source', value: 'Newsletter' } }, facts({ utmSource: 'newsletter' })),
    ).toBe(true);
    expect(
      ruleMatches({ source: { kind: 'referrer', value: 'google.com' } }, facts({ referrerDomain: 'www.google.com' })),
    ).toBe(true);
    expect(
      ruleMatches({ source: { kind: 'referrer', value: 'google.com' } }, facts({ referrerDomain: 'notgoogle.com' })),
    ).toBe(false);
    expect(ruleMatches({ languages: ['de'] }, facts({ language: 'de-at' }))).toBe(true);
    expect(ruleMatches({ languages: ['de'] }, facts({ language: 'den' }))).toBe(false);
    expect(ruleMatches({ languages: ['pt-br'] }, facts({ language: 'pt-br' }))).toBe(true);
    expect(ruleMatches({ channel: 'callback' }, facts())).toBe(false);
    expect(
      ruleMatches({ channel: 'callback', temperatures: ['hot'] }, facts({ channel: 'callback', temperature: 'hot' })),
    ).toBe(true);
    expect(
      ruleMatches({ channel: 'callback', temperatures: ['hot'] }, facts({ channel: 'callback', temperature: 'warm' })),
    ).toBe(false);
    expect(ruleMatches({}, facts())).toBe(true);
  });
});

describe('strategies', () => {
  it('round-robin takes the agent whose last assignment is oldest, never-assigned first', () => {
    expect(pickRoundRobin(['a', 'b', 'c'], state({ a: 5, b: 2, c: 9 }))).toBe('b');
    expect(pickRoundRobin(['a', 'b'], state({ a: 5 }))).toBe('b');
  });
  it('least busy takes the fewest open items, ties round-robin', () => {
    expect(pickLeastBusy(['a', 'b', 'c'], state({ a: 1, b: 2, c: 3 }, { a: 3, b: 1, c: 1 }))).toBe('b');
    expect(pickLeastBusy(['a', 'b'], state({}, { a: 2 }))).toBe('b');
  });
});

describe('decide', () => {
  const hot = rule({
    id: 'rr_hot001',
    name: 'Hot → Sales',
    conditions: { temperatures: ['hot'] },
    target: { kind: 'team', teamId: sales },
    strategy: 'least_busy',
  });
  const item = (over: Partial<Parameters<typeof decide>[0]> = {}) => ({
    id: 'c1',
    facts: facts({ temperature: 'hot' }),
    previousAgentId: null,
    ...over,
  });

  it('uses the first matching rule and records it', () => {
    const decision = decide(item(), [hot], teams, ['s1', 's2', 'x'], state({}, { s1: 2, s2: 0 }));
    expect(decision).toEqual({
      id: 'c1',
      agentId: 's2',
      routing: { kind: 'rule', ruleId: 'rr_hot001', ruleName: 'Hot → Sales', strategy: 'least_busy' },
    });
  });
  it('falls through to the next rule when nobody of the target is online, then to the default', () => {
    const solo = rule({ id: 'rr_solo01', name: 'To x', target: { kind: 'agent', agentId: 'x' } });
    expect(decide(item(), [hot, solo], teams, ['x', 'y'], state())?.routing).toMatchObject({
      kind: 'rule',
      ruleId: 'rr_solo01',
    });
    expect(decide(item(), [hot], teams, ['x', 'y'], state({ x: 3 }))).toEqual({
      id: 'c1',
      agentId: 'y',
      routing: { kind: 'default', strategy: 'round_robin' },
    });
    expect(decide(item(), [hot], teams, [], state())).toBeNull();
  });
  it('skips disabled rules and rules whose conditions fail', () => {
    expect(decide(item(), [{ ...hot, enabled: false }], teams, ['s1', 'x'], state({ s1: 9 }))?.routing.kind).toBe(
      'default',
    );
    expect(
      decide(item({ facts: facts({ temperature: 'warm' }) }), [hot], teams, ['s1', 'x'], state({ s1: 9 }))?.agentId,
    ).toBe('x');
  });
  it('is sticky to the previous agent inside the chosen target, or when no rule matched', () => {
    expect(decide(item({ previousAgentId: 's1' }), [hot], teams, ['s1', 's2'], state({}, { s1: 5 }))).toMatchObject({
      agentId: 's1',
      routing: { kind: 'sticky', ruleId: 'rr_hot001' },
    });
    // Previous agent online but outside the target: the rule wins.
    expect(decide(item({ previousAgentId: 'x' }), [hot], teams, ['s1', 'x'], state())?.agentId).toBe('s1');
    expect(decide(item({ previousAgentId: 'x', facts: facts() }), [hot], teams, ['s1', 'x'], state())).toMatchObject({
      agentId: 'x',
      routing: { kind: 'sticky' },
    });
    // Offline previous agent: not sticky.
    expect(decide(item({ previousAgentId: 'gone', facts: facts() }), [], teams, ['x'], state())?.routing.kind).toBe(
      'default',
    );
  });
  it('never goes back to the excluded agent while someone else is eligible', () => {
    expect(
      decide(
        item({ excludeAgentId: 's2', previousAgentId: 's2' }),
        [hot],
        teams,
        ['s1', 's2'],
        state({}, { s2: 0, s1: 9 }),
      )?.agentId,
    ).toBe('s1');
    // Only the excluded agent in the target: fall through to everyone else.
    expect(
      decide(item({ excludeAgentId: 's1' }), [hot], new Map([[sales, ['s1']]]), ['s1', 'x'], state())?.agentId,
    ).toBe('x');
    expect(decide(item({ excludeAgentId: 's1' }), [hot], teams, ['s1'], state())).toBeNull();
  });
});

describe('routeRound', () => {
  it('spreads a burst evenly, continuing the turn and counting load as it goes', () => {
    const items = Array.from({ length: 6 }, (_, i) => ({ id: `c${i}`, facts: facts(), previousAgentId: null }));
    const s = state({ a: 1 });
    const decisions = routeRound(items, [], teams, ['a', 'b', 'c'], s);
    expect(decisions.map((d) => d.agentId)).toEqual(['b', 'c', 'a', 'b', 'c', 'a']);
    expect(s.load.get('a')).toBe(2);
    const busy = routeRound(
      items.slice(0, 3),
      [rule({ target: { kind: 'team', teamId: sales }, strategy: 'least_busy' })],
      teams,
      ['s1', 's2'],
      state({}, { s1: 1 }),
    );
    expect(busy.map((d) => d.agentId)).toEqual(['s2', 's1', 's2']);
  });
});

describe('helpers', () => {
  it('ranks temperatures hot first and reads the browser language', () => {
    expect(
      ['cold', null, 'hot', 'warm'].sort((a, b) => temperatureRank(a as never) - temperatureRank(b as never)),
    ).toEqual(['hot', 'warm', 'cold', null]);
    expect(primaryLanguage('de-AT,de;q=0.9,en;q=0.8')).toBe('de-at');
    expect(primaryLanguage('*')).toBeNull();
    expect(primaryLanguage(undefined)).toBeNull();
  });
});
