import type { TemperatureChange } from '@beckon/sdk/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createTemperatureRelay, onTemperatureChange, onTemperatureChanges } from './hooks.js';

const change = (visitorId: string, temperature: TemperatureChange['temperature']): TemperatureChange => ({
  siteId: '00000000-0000-4000-8000-000000000001',
  visitorId,
  previous: 'cold',
  temperature,
  score: 50,
  explanation: { lines: [], decay: 0, halfLifeDays: 30 },
  at: new Date(0).toISOString(),
});

const subscriptions: (() => void)[] = [];
afterEach(() => {
  for (const off of subscriptions.splice(0)) off();
});

describe('createTemperatureRelay', () => {
  it('hands the changes of commits close together to a batch listener at once, in order', async () => {
    const batches: string[][] = [];
    const singles: string[] = [];
    subscriptions.push(onTemperatureChanges((changes) => void batches.push(changes.map((c) => c.visitorId))));
    subscriptions.push(onTemperatureChange((c) => void singles.push(c.visitorId)));
    const relay = createTemperatureRelay(20, (error) => {
      throw error;
    });

    relay([change('a', 'warm'), change('b', 'hot')]);
    relay([change('c', 'warm')]);
    expect(batches).toEqual([]); // nothing before the window ends
    await new Promise((resolve) => setTimeout(resolve, 60));

    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(singles).toEqual(['a', 'b', 'c']);
  });

  it('reports a failing listener and still hands the changes to the others', async () => {
    const errors: unknown[] = [];
    const seen: string[] = [];
    subscriptions.push(
      onTemperatureChanges(() => {
        throw new Error('listener broke');
      }),
    );
    subscriptions.push(onTemperatureChanges((changes) => void seen.push(...changes.map((c) => c.visitorId))));
    const relay = createTemperatureRelay(5, (error) => errors.push(error));

    relay([change('a', 'hot')]);
    await new Promise((resolve) => setTimeout(resolve, 40));

    expect(seen).toEqual(['a']);
    expect(errors).toHaveLength(1);
  });
});
