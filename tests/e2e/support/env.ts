import { fileURLToPath } from 'node:url';

/**
 * Where the e2e run puts things. Fixed ports (overridable) so the config's `baseURL` is known before
 * global setup starts the servers; the setup fails with a clear message if a port is taken.
 */
export const serverPort = Number(process.env.BECKON_E2E_PORT || 3457);
export const spaPort = Number(process.env.BECKON_E2E_SPA_PORT || serverPort + 1);

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
