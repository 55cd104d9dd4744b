import { describe, expect, it } from 'vitest';
import type { ChatMessage, LivePageview, LiveVisitor } from '@beckon/sdk/protocol';
import { createRealtime, type AgentNamespace, type VisitorNamespace } from './realtime.js';

/**
 * Just enough of a namespace to see which frames leave for which room, in order. The sites in `watched` have a
 * tab on this node showing their Visitors page (`visitors:watch`).
 */
function recordingNamespace(watched = ['a', 'b']) {
  const frames: { room: string; event: string; payload: unknown }[] = [];
  const namespace = {
    to: (room: string) => ({ emit: (event: string, payload: unknown) => void frames.push({ room, event, payload }) }),
    adapter: { rooms: new Map(watched.map((site) => [`site-watchers:${site}`, new Set(['socket-1'])])) },
  };
  return { frames, namespace: namespace as unknown as AgentNamespace };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const visitor = (visitorId: string) => ({ visitorId, lastSeenAt: '2026-01-01T10:00:00.000Z' }) as LiveVisitor;

describe('realtime queue', () => {
  it('sends the visitors queued in one turn as one visitors:updated frame per site', async () => {
    const realtime = createRealtime();
    const { frames, namespace } = recordingNamespace();
    realtime.attach(namespace, {} as VisitorNamespace);
    realtime.visitorToSite('a', visitor('v1'));
    realtime.visitorToSite('b', visitor('v2'));
    realtime.visitorToSite('a', visitor('v3'));
    expect(frames).toEqual([]);
    await turn();
    expect(frames).toEqual([
      { room: 'site-watchers:a', event: 'visitors:updated', payload: [visitor('v1'), visitor('v3')] },
      { room: 'site-watchers:b', event: 'visitors:updated', payload: [visitor('v2')] },
    ]);
  });

  it('sends a busy site at most one flush per window, and a quiet one at once', async () => {
    const realtime = createRealtime({ frameMs: 60 });
    const { frames, namespace } = recordingNamespace();
    realtime.attach(namespace, {} as VisitorNamespace);
    realtime.visitorToSite('a', visitor('v1'));
    await turn();
    expect(frames).toHaveLength(1);
    // Just after a flush, the site's next items wait for the window to pass and then share one frame.
    realtime.visitorToSite('a', visitor('v2'));
    await turn();
    realtime.visitorToSite('a', visitor('v3'));
    // Another site is not held back by this one's window.
    realtime.visitorToSite('b', visitor('v4'));
    await turn();
    expect(frames.map((frame) => frame.room)).toEqual(['site-watchers:a', 'site-watchers:b']);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(frames.at(-1)).toEqual({
      room: 'site-watchers:a',
      event: 'visitors:updated',
      payload: [visitor('v2'), visitor('v3')],
    });
    // Once the window has passed with nothing queued, the next item leaves in its own turn again.
    await new Promise((resolve) => setTimeout(resolve, 80));
    realtime.visitorToSite('a', visitor('v5'));
    await turn();
    expect(frames.at(-1)).toEqual({ room: 'site-watchers:a', event: 'visitors:updated', payload: [visitor('v5')] });
  });

  it("sends a window's pageviews and visitor rows as one frame of each kind, however they alternate", async () => {
    const realtime = createRealtime();
    const { frames, namespace } = recordingNamespace();
    realtime.attach(namespace, {} as VisitorNamespace);
    const pageview = (id: string) => ({ id, visitorId: 'v' }) as LivePageview;
    // Collect pushes both kinds for every committed group: two groups in one window.
    realtime.pageviewToSite('a', pageview('p1'));
    realtime.visitorToSite('a', visitor('v1'));
    realtime.pageviewToSite('a', pageview('p2'));
    realtime.visitorToSite('a', visitor('v2'));
    await turn();
    expect(frames).toEqual([
      { room: 'site-watchers:a', event: 'pageviews:new', payload: [pageview('p1'), pageview('p2')] },
      { room: 'site-watchers:a', event: 'visitors:updated', payload: [visitor('v1'), visitor('v2')] },
    ]);
  });

  it('keeps the order of queued frames and of a direct push to the same site', async () => {
    const realtime = createRealtime();
    const { frames, namespace } = recordingNamespace();
    realtime.attach(namespace, {} as VisitorNamespace);
    const message = { id: 'm1' } as ChatMessage;
    realtime.visitorToSite('a', visitor('v1'));
    realtime.messageToSite('a', message);
    realtime.visitorToSite('a', visitor('v2'));
    // A direct push flushes what the site has queued first.
    realtime.toSite('a', 'site:updated', { id: 'a' });
    expect(frames.map((frame) => frame.event)).toEqual([
      'visitors:updated',
      'messages:new',
      'visitors:updated',
      'site:updated',
    ]);
    await turn();
    expect(frames).toHaveLength(4);
  });

  it('queues no live rows or pageviews for a site whose Visitors page no tab shows, unless rooms span nodes', async () => {
    const single = createRealtime();
    const alone = recordingNamespace(['a']);
    single.attach(alone.namespace, {} as VisitorNamespace);
    single.visitorToSite('b', visitor('v1'));
    single.pageviewToSite('b', { id: 'p1', visitorId: 'v1' } as LivePageview);
    single.visitorToSite('a', visitor('v2'));
    expect([single.watchingVisitors('a'), single.watchingVisitors('b')]).toEqual([true, false]);
    await turn();
    expect(alone.frames).toEqual([{ room: 'site-watchers:a', event: 'visitors:updated', payload: [visitor('v2')] }]);

    // With the Redis adapter a tab on another node may watch: this node cannot tell, so it sends.
    const spanning = createRealtime();
    const shared = recordingNamespace([]);
    spanning.attach(shared.namespace, {} as VisitorNamespace, undefined, { spanNodes: true });
    spanning.visitorToSite('b', visitor('v3'));
    await turn();
    expect(shared.frames).toEqual([{ room: 'site-watchers:b', event: 'visitors:updated', payload: [visitor('v3')] }]);
  });
});
