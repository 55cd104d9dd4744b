import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin, demoSiteKey, repoRoot, serverPort, spaPort, spaURL } from './e2e/support/env.js';
import { serveStatic } from './e2e/support/static-server.js';

const serverMain = join(repoRoot, 'server/dist/main.js');
const builtFiles = [
  [serverMain, 'the server'],
  [join(repoRoot, 'server/public/beckon.js'), 'the widget loader (copied by the server build)'],
  [join(repoRoot, 'server/public/app/index.html'), 'the dashboard (copied by the server build)'],
  [join(repoRoot, 'sdk/dist/index.js'), 'the SDK (imported by examples/spa-sdk)'],
] as const;

const internalURL = `http://127.0.0.1:${serverPort}`;

/**
 * Starts the built Beckon server on embedded PGlite in a fresh temp dir, builds and serves the SDK
 * example app on a second port, and allows that origin for the demo site. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const missing = builtFiles.filter(([path]) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `The e2e tests run against the built bundle, and these are missing:\n` +
        missing.map(([path, what]) => `  ${path} (${what})`).join('\n') +
        `\nRun \`npm run build\` at the repository root first.`,
    );
  }
  await Promise.all([assertPortFree(serverPort, 'BECKON_E2E_PORT'), assertPortFree(spaPort, 'BECKON_E2E_SPA_PORT')]);

  const tempDir = await mkdtemp(join(tmpdir(), 'beckon-e2e-'));
  let beckon: ChildProcess | undefined;
  let spaServer: Server | undefined;

  const teardown = async () => {
    await Promise.all([
      stopProcess(beckon),
      new Promise<void>((resolve) => (spaServer ? spaServer.close(() => resolve()) : resolve())),
    ]);
    await rm(tempDir, { recursive: true, force: true });
  };

  try {
    const spaDist = join(tempDir, 'spa-sdk');
    const started = startBeckon(join(tempDir, 'data'));
    beckon = started.child;
    await Promise.all([started.ready, buildSpa(spaDist)]);
    spaServer = await serveStatic(spaDist, spaPort);
    await allowOrigin(spaURL);
    // On stderr, so that a machine-readable reporter's stdout (--reporter=json) stays clean.
    process.stderr.write(`Beckon under test at ${internalURL} (temp data dir ${tempDir}), SDK example at ${spaURL}\n`);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

function startBeckon(dataDir: string): { child: ChildProcess; ready: Promise<void> } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(serverPort),
    HOST: '127.0.0.1',
    BECKON_DATA_DIR: dataDir,
    BECKON_ADMIN_EMAIL: admin.email,
    BECKON_ADMIN_PASSWORD: admin.password,
    BECKON_DEMO_SITE_KEY: demoSiteKey,
    BECKON_LOG_LEVEL: process.env.BECKON_E2E_LOG_LEVEL || 'warn',
    // The webhook spec's CRM receiver listens on this machine's loopback, which is refused by default.
    BECKON_WEBHOOKS_ALLOW_PRIVATE: 'true',
    // Every browser of the suite chats from one address (127.0.0.1): a visitor per test, not a flood.
    BECKON_CHAT_OPENINGS_PER_ADDRESS: '1000',
  };
  // Hermetic: embedded PGlite, one node, the seeded origins only.
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'BECKON_PUBLIC_URL', 'BECKON_TRUST_PROXY', 'NODE_OPTIONS'])
    delete env[name];

  const child = spawn(process.execPath, [serverMain], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Should the runner die without running the teardown, the server must not outlive it.
  process.once('exit', () => child.kill('SIGKILL'));
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', (chunk: Buffer) => {
    keep(chunk);
    // Warnings and errors of the server under test belong in the test log.
    process.stderr.write(chunk.toString().replace(/^(?=.)/gm, '[beckon] '));
  });

  const ready = new Promise<void>((resolve, reject) => {
    // 60 s by default; BECKON_E2E_STARTUP_SECONDS gives a machine shared by many runs longer (start-up took 70 s there).
    const startupSeconds = Number(process.env.BECKON_E2E_STARTUP_SECONDS) || 60;
    const deadline = Date.now() + startupSeconds * 1000;
    let settled = false;
    child.once('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      reject(
        new Error(`The Beckon server exited during start-up (code ${code}, signal ${signal}):\n${output.join('')}`),
      );
    });
    const poll = async () => {
      if (settled) return;
      try {
        const response = await fetch(`${internalURL}/healthz`);
        if (response.ok) {
          settled = true;
          resolve();
          return;
        }
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) {
        settled = true;
        reject(new Error(`The Beckon server did not answer /healthz within ${startupSeconds} s:\n${output.join('')}`));
        return;
      }
      setTimeout(poll, 200);
    };
    void poll();
  });
  return { child, ready };
}

async function stopProcess(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Builds examples/spa-sdk into `outDir` with the SDK pointed at the server under test. */
async function buildSpa(outDir: string) {
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: join(repoRoot, 'examples/spa-sdk'),
    env: { ...process.env, VITE_BECKON_ENDPOINT: `http://localhost:${serverPort}`, VITE_BECKON_SITE: demoSiteKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`Building examples/spa-sdk failed (exit ${code}):\n${output}`);
}

/** Adds `origin` to the demo site's allowed origins, as an admin would on the Install page. */
async function allowOrigin(origin: string) {
  const login = await fetch(`${internalURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  if (!login.ok) throw new Error(`Logging in as ${admin.email} failed (${login.status}): ${await login.text()}`);
  const me = (await login.json()) as {
    csrfToken: string;
    sites: { id: string; key: string; allowedOrigins: string[] }[];
  };
  const cookie = login.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
  const site = me.sites.find((candidate) => candidate.key === demoSiteKey);
  if (!site) throw new Error(`The seeded "${demoSiteKey}" site is missing from /api/auth/login`);
  const patch = await fetch(`${internalURL}/api/sites/${encodeURIComponent(site.id)}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': me.csrfToken },
    body: JSON.stringify({ allowedOrigins: [...new Set([...site.allowedOrigins, origin])] }),
  });
  if (!patch.ok)
    throw new Error(`Allowing ${origin} for the demo site failed (${patch.status}): ${await patch.text()}`);
}

function assertPortFree(port: number, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(
        new Error(
          `Port ${port} is in use; stop what runs there, pick another port with ${variable}=<port>, ` +
            `or leave BECKON_E2E_PORT and BECKON_E2E_SPA_PORT unset to have free ports picked.`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
