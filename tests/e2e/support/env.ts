import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Where the e2e run puts things. The ports must be known when the config is loaded (its `baseURL`),
 * before global setup starts the servers. Unless `BECKON_E2E_PORT` / `BECKON_E2E_SPA_PORT` are set,
 * the first process that loads this (the Playwright runner) asks the OS for two free ports and puts
 * them in its environment; global setup and the workers it forks inherit that environment, so every
 * process of one run agrees on the ports, and two runs side by side never pick the same ones.
 */
if (!process.env.BECKON_E2E_PORT || !process.env.BECKON_E2E_SPA_PORT) {
  const [first, second] = freePorts();
  process.env.BECKON_E2E_PORT ||= String(first);
  process.env.BECKON_E2E_SPA_PORT ||= String(process.env.BECKON_E2E_PORT === String(second) ? first : second);
}
export const serverPort = Number(process.env.BECKON_E2E_PORT);
export const spaPort = Number(process.env.BECKON_E2E_SPA_PORT);

/** The Beckon server under test; `localhost` is one of the demo site's seeded allowed origins. */
export const baseURL = `http://localhost:${serverPort}`;
/** The built `examples/spa-sdk` app, served from a second origin that setup adds to the demo site. */
export const spaURL = `http://localhost:${spaPort}`;

export const admin = {
  email: process.env.BECKON_ADMIN_EMAIL || 'admin@example.test',
  password: process.env.BECKON_ADMIN_PASSWORD || 'correct horse battery',
};

export const demoSiteKey = 'demo';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixturesDir = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/**
 * Two distinct ports the OS reports free on 127.0.0.1 (both held open at once, then released).
 * Synchronous, in a child process, because the config needs them at load time.
 */
function freePorts(): [number, number] {
  const script = `
    const net = require('node:net');
    const listen = () => new Promise((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
    Promise.all([listen(), listen()]).then((servers) => {
      process.stdout.write(servers.map((server) => server.address().port).join(' '));
      for (const server of servers) server.close();
    });`;
  const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
  const [first, second] = output.trim().split(' ').map(Number);
  if (!first || !second) throw new Error(`could not find free ports for the e2e servers (got "${output}")`);
  return [first, second];
}
