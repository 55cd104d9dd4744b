import { describe, expect, it } from 'vitest';
import { temperatureRank } from './rank';
import { describeConditions, parseLanguages, validateRouting } from './routing';

describe('routing helpers', () => {
  it('summarises conditions and orders temperatures hot first', () => {
    expect(describeConditions({ temperatures: ['hot'], page: '*pricing*', languages: ['de'], channel: 'chat' })).toBe(
      'hot · page *pricing* · language de · chats only',
    );
    expect(describeConditions({})).toBe('Every chat and callback');
    expect(
      ['cold', undefined, 'hot', 'warm'].sort((a, b) => temperatureRank(a as never) - temperatureRank(b as never)),
    ).toEqual(['hot', 'warm', 'cold', undefined]);
  });
  it('validates rules before saving', () => {
    expect(parseLanguages('de, PT-br  en')).toEqual(['de', 'pt-br', 'en']);
    const errors = validateRouting(
      [{ name: ' ', target: { kind: 'team', teamId: '' }, conditions: { languages: ['german'] } }],
      -1,
    );
    expect(Object.keys(errors).sort()).toEqual([
      'rules.0.conditions.languages',
      'rules.0.name',
      'rules.0.target',
      'unansweredChatSeconds',
    ]);
    expect(validateRouting([{ name: 'Hot', target: { kind: 'agent', agentId: 'a' } }], 120)).toEqual({});
  });
});
