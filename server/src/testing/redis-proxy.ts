import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to Redis for outage tests: it can hold Redis's answers back (a slow or hung Redis) and
 * deliver them later, in order (`stall`), or drop every connection and refuse new ones (`cut`, a Redis
 * that went away) until `restore`.
 */
export async function stallingProxy(target: URL) {
  let stalled = false;
  let refusing = false;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    if (refusing) return void inbound.destroy();
    const outbound = connect(Number(target.port || 6379), target.hostname);
    sockets.add(inbound).add(outbound);
    inbound.on('data', (chunk) => void outbound.write(chunk));
    outbound.on('data', (chunk) => (stalled ? held.push(() => inbound.write(chunk)) : inbound.write(chunk)));
    for (const [from, to] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      from.on('error', () => to.destroy());
      from.on('close', () => {
        to.destroy();
        sockets.delete(from);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stall(value: boolean) {
      stalled = value;
      if (!value) held.splice(0).forEach((deliver) => deliver());
    },
    /** Redis goes away: open connections drop (answers held back are lost) and new ones are refused. */
    cut() {
      refusing = true;
      held.length = 0;
      stalled = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      refusing = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Whether a Redis answers at `url` within half a second (outage and multi-node tests need one; they start none). */
export async function redisAnswers(url: string): Promise<boolean> {
  const { createClient } = await import('redis');
  const client = createClient({ url, socket: { connectTimeout: 500, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}
