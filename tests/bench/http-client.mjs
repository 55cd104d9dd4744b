// The ingestion benches' HTTP client: POSTs over keep-alive connections, one per closed-loop client.
// undici's Pool by default: measured against the HTTP floor server on this 2-core machine, node:http's
// request() cost the bench client 160–171 µs of CPU per request and undici 61–69 µs. Client and server share
// the machine's cores, so a heavy client takes CPU from the server it measures. BENCH_HTTP_CLIENT=node keeps
// the older node:http client, to compare runs with earlier ones.
import { Agent, request } from 'node:http';
import { Pool } from 'undici';

/**
 * `post(target, path, body, headers)` resolves `{ status, body }` (the answer's text), or null when the
 * request failed; `close()` ends every connection. At most `connections` requests in flight per target.
 */
export function httpClient(connections, kind = process.env.BENCH_HTTP_CLIENT ?? 'undici') {
  if (kind === 'node') {
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    return {
      kind,
      post: (target, path, body, headers) =>
        new Promise((resolve) => {
          const req = request(
            `${target}${path}`,
            { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
            (res) => {
              const parts = [];
              res.on('data', (part) => parts.push(part));
              res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(parts).toString() }));
              res.on('error', () => resolve(null));
            },
          );
          req.on('error', () => resolve(null));
          req.end(body);
        }),
      close: async () => agent.destroy(),
    };
  }
  if (kind !== 'undici') throw new Error('BENCH_HTTP_CLIENT is undici or node');
  const pools = new Map();
  const poolOf = (target) => {
    let pool = pools.get(target);
    if (!pool) pools.set(target, (pool = new Pool(target, { connections, pipelining: 1 })));
    return pool;
  };
  return {
    kind,
    post: async (target, path, body, headers) => {
      try {
        const response = await poolOf(target).request({ path, method: 'POST', headers, body });
        return { status: response.statusCode, body: await response.body.text() };
      } catch {
        return null;
      }
    },
    close: () => Promise.all([...pools.values()].map((pool) => pool.destroy())),
  };
}
