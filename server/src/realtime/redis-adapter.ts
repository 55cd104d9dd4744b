import { RedisAdapter } from '@socket.io/redis-adapter';
import type { Namespace } from 'socket.io';

type AdapterOptions = ConstructorParameters<typeof RedisAdapter>[3];
type Parser = RedisAdapter['parser'];

/**
 * The Redis adapter, except that a node does not decode its own broadcasts. Every node subscribes to every
 * broadcast channel, its own publications included, and the stock adapter decodes each message (msgpack)
 * before it looks at the sender's id and drops its own. A dashboard's node got all of its own live frames
 * back that way: with two nodes under `bench:ingest`, decoding was 5.6 % of that node's CPU, half of it its
 * own pageview and visitor frames. A broadcast is `[uid, packet, options]` in msgpack; its first bytes are
 * checked against this node's id instead, and only other nodes' messages are decoded.
 */
export class OwnBroadcastSkippingAdapter extends RedisAdapter {
  constructor(nsp: Namespace, pubClient: unknown, subClient: unknown, options?: AdapterOptions) {
    super(nsp, pubClient, subClient, options);
    const parser = this.parser;
    const ownPrefix = broadcastPrefix(this.uid as string);
    const skipping: Parser = {
      encode: (message: unknown) => parser.encode(message),
      // Only the sender's id is read from an own broadcast: the adapter ignores it by that id.
      decode: (message: unknown) => (startsWith(message, ownPrefix) ? [this.uid] : parser.decode(message)),
    };
    (this as { parser: Parser }).parser = skipping;
  }
}

/** What `io.adapter()` takes: socket.io calls it with `new` per namespace (so not an arrow function). */
export function ownBroadcastSkippingAdapter(pubClient: unknown, subClient: unknown, options?: AdapterOptions) {
  return function adapterOf(nsp: Namespace) {
    return new OwnBroadcastSkippingAdapter(nsp, pubClient, subClient, options);
  };
}

/** msgpack of a three-item array whose first item is `uid`: fixarray(3), then the string (fixstr, ≤ 31 bytes). */
export function broadcastPrefix(uid: string): Buffer {
  const id = Buffer.from(uid, 'utf8');
  if (id.length > 31) throw new Error('an adapter id is at most 31 bytes');
  return Buffer.concat([Buffer.from([0x93, 0xa0 | id.length]), id]);
}

const startsWith = (message: unknown, prefix: Buffer) =>
  Buffer.isBuffer(message) &&
  message.length >= prefix.length &&
  message.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
