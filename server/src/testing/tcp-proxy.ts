import net from 'node:net';

/**
 * A TCP proxy for outage tests: put it between the server and PostgreSQL, then
 * - `cut()`: drops every connection and refuses new ones at once (the database went away, a restart),
 * - `blackHole()`: lets nothing through and answers nothing, keeping connections open (a partition, a
 *   firewall dropping packets): what was sent arrives only after `restore()`, as TCP retransmission
 *   would deliver it, and closes are delivered late too,
 * - `restore()`: back to normal.
 */
export interface TcpProxy {
  port: number;
  /** `url` with its host and port pointed at the proxy. */
  through(url: string): string;
  cut(): void;
  blackHole(): void;
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream?: net.Socket;
  toUpstream: Buffer[];
  toClient: Buffer[];
  /** A side closed while the hole swallowed everything: the other side learns it on restore. */
  closedLate: boolean;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'open' | 'cut' | 'black-hole' = 'open';
  const pairs = new Set<Pair>();

  const end = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  };

  const connectUpstream = (pair: Pair) => {
    const upstream = net.connect(target.port, target.host);
    pair.upstream = upstream;
    for (const chunk of pair.toUpstream.splice(0)) upstream.write(chunk);
    upstream.on('data', (chunk: Buffer) =>
      mode === 'black-hole' ? pair.toClient.push(chunk) : pair.client.write(chunk),
    );
    upstream.on('error', () => {});
    upstream.on('close', () => (mode === 'black-hole' ? (pair.closedLate = true) : end(pair)));
  };

  const server = net.createServer((client) => {
    if (mode === 'cut') return void client.destroy();
    const pair: Pair = { client, toUpstream: [], toClient: [], closedLate: false };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) =>
      mode === 'black-hole' || !pair.upstream ? pair.toUpstream.push(chunk) : pair.upstream.write(chunk),
    );
    client.on('error', () => {});
    client.on('close', () => (mode === 'black-hole' ? (pair.closedLate = true) : end(pair)));
    // In a black hole even the connection to the server is not made: nothing reaches it.
    if (mode === 'open') connectUpstream(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    through(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    cut() {
      mode = 'cut';
      for (const pair of [...pairs]) end(pair);
    },
    blackHole() {
      mode = 'black-hole';
    },
    restore() {
      mode = 'open';
      for (const pair of [...pairs]) {
        if (pair.closedLate) {
          end(pair);
          continue;
        }
        if (!pair.upstream) connectUpstream(pair);
        else for (const chunk of pair.toUpstream.splice(0)) pair.upstream.write(chunk);
        for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
      }
    },
    async close() {
      for (const pair of [...pairs]) end(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
