import fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.js';
import { startServer, type RunningServer } from '../server.js';
import { testConfig } from '../testing/harness.js';
import { openDatabase, type Database } from './client.js';

/**
 * Embedded PostgreSQL (PGlite) on a full disk. Left alone, a failed WAL write makes PGlite spin on the
 * CPU in its next query, blocking the whole process: every request and /healthz hang, nothing is logged.
 * The server must instead fail writes with a clear error and a log line and say it is unhealthy; below
 * the free-space reserve it refuses work before that can happen and resumes when space returns.
 */
const browser = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-disk-full-'));
  dirs.push(dir);
  return dir;
};

describe('embedded PostgreSQL on a full disk', () => {
  let server: RunningServer | undefined;
  let database: Database | undefined;
  const logs: string[] = [];
  let counter = 0;

  async function start(options: Partial<Extract<Parameters<typeof openDatabase>[0], { kind: 'pglite' }>> = {}) {
    database = await openDatabase({ kind: 'pglite', dataDir: newDataDir(), ...options });
    server = await startServer(testConfig(), {
      database,
      logger: createLogger('info', (line) => void logs.push(line)),
    });
    return server;
  }
  const collect = () =>
    fetch(`${server!.url}/v1/collect`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: server!.url, 'user-agent': browser },
      body: JSON.stringify({
        site: 'demo',
        visitorId: 'visitor_diskful',
        sessionId: 'session_diskful',
        events: [
          {
            id: `evt_disk_${Date.now().toString(36)}_${counter++}`,
            type: 'pageview',
            ts: Date.now(),
            url: `${server!.url}/demo/`,
            title: 'Home',
          },
        ],
      }),
    });
  const timed = async (request: () => Promise<Response>) => {
    const started = performance.now();
    const response = await request();
    return { response, ms: performance.now() - started };
  };

  afterEach(async () => {
    await server?.close();
    await database?.close();
    server = database = undefined;
    logs.length = 0;
  });

  it('below the free-space reserve refuses writes at once (503, Retry-After), reports unhealthy and logs it; resumes when space returns', async () => {
    let free = 10 * 1024 ** 3;
    await start({ freeBytes: async () => free, diskCheckMs: 50 });
    expect((await collect()).status).toBe(200);

    free = 20 * 1024 ** 2;
    await expect.poll(async () => (await fetch(`${server!.url}/healthz`)).status, { timeout: 2_000 }).toBe(503);
    const refused = await timed(collect);
    expect(refused.ms).toBeLessThan(1_000);
    expect(refused.response.status).toBe(503);
    expect(refused.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await refused.response.json()).error.code).toBe('unavailable');
    const health = await timed(() => fetch(`${server!.url}/healthz`));
    expect(health.ms).toBeLessThan(1_000);
    expect(await health.response.json()).toMatchObject({
      status: 'unavailable',
      database: {
        kind: 'pglite',
        reachable: false,
        reason: 'disk_full',
        message: expect.stringContaining('20 MB free'),
      },
    });
    expect(
      logs.some(
        (line) =>
          line.includes('"level":"error"') && line.includes('database unavailable') && line.includes('disk_full'),
      ),
    ).toBe(true);

    free = 10 * 1024 ** 3;
    await expect.poll(async () => (await collect()).status, { timeout: 2_000 }).toBe(200);
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    expect(logs.some((line) => line.includes('database available again'))).toBe(true);
  });

  it('a WAL write failing with ENOSPC fails the write with a clear error, reports unhealthy, and nothing hangs afterwards', async () => {
    const fatal: Error[] = [];
    // Free space looks fine (another process filled the disk between two checks): the write itself fails.
    await start({ onFatal: (error) => fatal.push(error) });
    expect((await collect()).status).toBe(200);

    const writeSync = fs.writeSync;
    fs.writeSync = ((..._args: Parameters<typeof fs.writeSync>) => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
    }) as typeof fs.writeSync;
    try {
      const failed = await collect();
      expect(failed.status).toBe(503);
      expect((await failed.json()).error.code).toBe('unavailable');
      expect(fatal.map((error) => error.message)).toEqual([
        expect.stringMatching(/could not write its log \(disk full\).*No space left on device/),
      ]);
    } finally {
      fs.writeSync = writeSync;
    }
    // Before, the next statement spun forever inside PGlite and took the whole process with it.
    for (const request of [collect, () => fetch(`${server!.url}/healthz`)]) {
      const { response, ms } = await timed(request);
      expect(ms).toBeLessThan(1_000);
      expect(response.status).toBe(503);
    }
    expect(await (await fetch(`${server!.url}/healthz`)).json()).toMatchObject({
      database: { reachable: false, reason: 'disk_full' },
    });
    expect(logs.some((line) => line.includes('database unavailable') && line.includes('No space left on device'))).toBe(
      true,
    );
  });
});
