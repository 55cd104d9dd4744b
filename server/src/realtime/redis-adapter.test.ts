import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { redisAnswers } from '../testing/redis.js';
import { broadcastPrefix, type OwnBroadcastSkippingAdapter, ownBroadcastSkippingAdapter } from './redis-adapter.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const withRedis = await redisAnswers(redisUrl);

describe.runIf(withRedis)('the Redis adapter that skips its own broadcasts', () => {
  const key = `beckon-test:${randomUUID()}:socket.io`;
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  /** A socket.io server on the adapter, listening on a port of its own: one node. */
  async function node() {
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    const http: HttpServer = createServer();
    const io = new Server(http, { adapter: ownBroadcastSkippingAdapter(pub, sub, { key }) });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      io.close();
      await Promise.all([pub.close(), sub.close()]);
    });
    return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
  }

  it('decodes other nodes’ broadcasts and reads only the sender of its own', async () => {
    const { io } = await node();
    const adapter = io.of('/').adapter as OwnBroadcastSkippingAdapter;
    const packet = { type: 2, data: ['pageviews:new', [{ id: '1' }]], nsp: '/' };
    const options = { rooms: ['site:1'], except: [], flags: {} };
    const own = adapter.parser.encode([adapter.uid, packet, options]);
    expect(broadcastPrefix(adapter.uid).equals(own.subarray(0, 8))).toBe(true);
    expect(adapter.parser.decode(own)).toEqual([adapter.uid]);
    const other = adapter.parser.encode(['zZ9yX8', packet, options]);
    expect(adapter.parser.decode(other)).toEqual(['zZ9yX8', packet, options]);
    // Requests between nodes (maps, not broadcasts) decode as before.
    const request = adapter.parser.encode({ uid: adapter.uid, requestId: 'r1', type: 6, data: ['cache:changed'] });
    expect(adapter.parser.decode(request)).toEqual({
      uid: adapter.uid,
      requestId: 'r1',
      type: 6,
      data: ['cache:changed'],
    });
  });

  it('delivers a broadcast once to the sockets of its own node and of the other node', async () => {
    const [a, b] = [await node(), await node()];
    const received = { a: [] as string[], b: [] as string[] };
    for (const [name, target] of [
      ['a', a],
      ['b', b],
    ] as const) {
      target.io.on('connection', (socket) => void socket.join('room'));
      const client = connect(target.url, { transports: ['websocket'], forceNew: true });
      closers.push(async () => client.close());
      client.on('news', (text: string) => received[name].push(text));
      await new Promise((resolve) => client.once('connect', resolve));
    }
    // Each node's socket has joined the room once its connection handler ran.
    await expect.poll(async () => (await a.io.in('room').fetchSockets()).length).toBe(2);
    a.io.to('room').emit('news', 'from a');
    b.io.to('room').emit('news', 'from b');
    await expect.poll(() => received.a.length + received.b.length).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 100)); // nothing arrives twice
    expect(received.a.sort()).toEqual(['from a', 'from b']);
    expect(received.b.sort()).toEqual(['from a', 'from b']);
  });
});
