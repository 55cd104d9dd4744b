import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CollectBatch } from '../protocol/collect.js';
import { createCore, type CoreOptions, type SendResult, type Transport } from './index.js';

/** A core on a site in mode `implied`: analytics on from the start, as these tests need. */
function implied(options: CoreOptions) {
  const core = createCore({ signals: { gpc: false, dnt: false }, ...options });
  core.configure({ mode: 'implied', policyVersion: '1' });
  return core;
}

function fakeTransport(results: SendResult[] = []) {
  const sent: { batch: CollectBatch; beacon: boolean }[] = [];
  const transport: Transport = {
    async send(_url, batch, { beacon }) {
      sent.push({ batch: structuredClone(batch), beacon });
      return results.shift() ?? 'ok';
    },
  };
  return { transport, sent };
}

describe('the shared core', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a pageview at once and batches other events', async () => {
    const { transport, sent } = fakeTransport();
    const core = implied({ site: 'demo', endpoint: 'https://beckon.test/', transport, batchDelayMs: 5000 });
    core.page({ url: 'https://shop.test/', title: 'Home' });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.batch.events[0]).toMatchObject({ type: 'pageview', url: 'https://shop.test/', title: 'Home' });

    core.track('add-to-cart', { sku: 'A1' });
    core.track('wishlist');
    await vi.advanceTimersByTimeAsync(4000);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.batch.events.map((event) => event.type === 'track' && event.name)).toEqual([
      'add-to-cart',
      'wishlist',
    ]);
    expect(sent[1]!.batch).toMatchObject({ site: 'demo', visitorId: core.visitorId, sessionId: core.sessionId });
  });

  it('retries a failed batch with the same event ids, so the server can drop duplicates', async () => {
    const { transport, sent } = fakeTransport(['retry', 'retry', 'ok']);
    const core = implied({ site: 'demo', endpoint: 'https://beckon.test', transport });
    core.page({ url: 'https://shop.test/a' });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(2000);
    await vi.advanceTimersByTimeAsync(4000);
    expect(sent).toHaveLength(3);
    const ids = sent.map((attempt) => attempt.batch.events[0]!.id);
    expect(new Set(ids).size).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(3);
  });

  it('marks a batch that repeats events sent before as a retry, and only such a batch', async () => {
    const { transport, sent } = fakeTransport(['retry', 'ok', 'ok']);
    const core = implied({ site: 'demo', endpoint: 'https://beckon.test', transport, batchDelayMs: 5000 });
    core.page({ url: 'https://shop.test/a' });
    await vi.advanceTimersByTimeAsync(0);
    // Queued while the first try waits for its retry: it travels with the repeated page view.
    core.track('add-to-cart');
    await vi.advanceTimersByTimeAsync(2000);
    core.track('wishlist');
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent.map(({ batch }) => [batch.events.map((event) => event.type), batch.retry])).toEqual([
      [['pageview'], 0],
      [['pageview', 'track'], 1],
      [['track'], 0],
    ]);
  });

  it('takes a batch the server partly rejected (clock out of window) as sent: no retry', async () => {
    const { transport, sent } = fakeTransport([{ stored: 1, duplicates: 0, rejected: { too_old: 1 } }]);
    const core = implied({ site: 'demo', endpoint: 'https://beckon.test', transport });
    const errors: string[] = [];
    core.on('error', (error) => errors.push(error.message));
    core.page({ url: 'https://shop.test/a' });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sent).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('drops a refused batch, reports it, and keeps going', async () => {
    const { transport, sent } = fakeTransport(['drop']);
    const core = implied({ site: 'demo', endpoint: 'https://beckon.test', transport });
    const errors: string[] = [];
    core.on('error', (error) => errors.push(error.message));
    core.page({ url: 'https://shop.test/a' });
    await vi.advanceTimersByTimeAsync(0);
    core.page({ url: 'https://shop.test/b' });
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    expect(sent.map((attempt) => attempt.batch.events[0]!.url)).toEqual(['https://shop.test/a', 'https://shop.test/b']);
  });

  it('keeps memory bounded while offline, dropping the oldest events', async () => {
    const { transport, sent } = fakeTransport(Array(20).fill('retry'));
    const core = implied({
      site: 'demo',
      endpoint: 'https://beckon.test',
      transport,
      maxQueue: 10,
      batchDelayMs: 100_000,
    });
    for (let i = 0; i < 25; i++) core.track(`event-${i}`);
    await core.flush();
    expect(sent[0]!.batch.events).toHaveLength(10);
    expect(sent[0]!.batch.events[0]).toMatchObject({ name: 'event-15' });
  });

  it('sends at most 50 events a batch', async () => {
    const { transport, sent } = fakeTransport();
    const core = implied({ site: 'demo', endpoint: 'https://beckon.test', transport, batchDelayMs: 100_000 });
    for (let i = 0; i < 120; i++) core.track(`event-${i}`);
    await core.flush();
    expect(sent.map((attempt) => attempt.batch.events.length)).toEqual([50, 50, 20]);
  });

  it('stops the stream and empties the queue when analytics consent is denied', async () => {
    const { transport, sent } = fakeTransport();
    const core = implied({ site: 'demo', endpoint: 'https://beckon.test', transport, batchDelayMs: 1000 });
    const states: unknown[] = [];
    core.on('consent', (state) => states.push(state));
    core.track('before-deny');
    core.consent('deny', { analytics: true });
    core.track('after-deny');
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(0);
    expect(states).toEqual([{ analytics: false, marketing: false }]);
    core.consent('grant');
    expect(core.getConsent()).toEqual({ analytics: true, marketing: true });
    // The grant starts the stream with its own pageview (the loader sends it); queued before: gone.
    core.track('after-grant');
    await vi.advanceTimersByTimeAsync(1000);
    expect(
      sent.flatMap((attempt) => attempt.batch.events.map((event) => event.type === 'track' && event.name)),
    ).toEqual(['after-grant']);
  });

  it('isolates a throwing listener from the others', () => {
    const onError = vi.fn();
    const core = implied({
      site: 'demo',
      endpoint: 'https://beckon.test',
      transport: fakeTransport().transport,
      onError,
    });
    const seen: string[] = [];
    core.on('pageview', () => {
      throw new Error('bad listener');
    });
    core.on('pageview', ({ url }) => seen.push(url));
    core.page({ url: 'https://shop.test/x' });
    expect(seen).toEqual(['https://shop.test/x']);
    expect(onError).toHaveBeenCalledOnce();
  });
});
