#!/usr/bin/env node
/**
 * Regenerates docs/screenshot.png, the picture at the top of the README: the demo shop with the widget
 * panel open (left) next to the dashboard's Visitors page with a few visitors (right).
 *
 *   npm run build                                   # at the repository root, once
 *   node tests/scripts/readme-screenshot.mjs        # or: npm run screenshot -w tests
 *
 * Like the e2e global setup, it starts the built server (server/dist/main.js) on a free port with a
 * fresh temp data dir (embedded PGlite, the seeded admin and demo site), so nothing touches real data.
 * Visitors in separate browser contexts open a few shop pages, an agent logs in and opens Visitors, and
 * both views are framed side by side on a neutral background in a 1600 × 900 page that is screenshot.
 *
 * Chromium as for the tests (scripts/chromium.mjs): PLAYWRIGHT_CHROMIUM_PATH, else Debian's headless shell or
 * full Chromium, else Playwright's own.
 * The demo greeting has an emoji: install a colour emoji font first (Debian: fonts-noto-color-emoji),
 * or it shows as a box. Options: --out <file> (default docs/screenshot.png), --keep (keep the parts
 * and the composed HTML in the temp dir and print where).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, devices } from '@playwright/test';
import { chromiumExecutable } from './chromium.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const serverMain = join(repoRoot, 'server/dist/main.js');
const admin = { email: 'admin@example.test', password: 'correct horse battery' };
const args = process.argv.slice(2);
const out = resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : join(repoRoot, 'docs/screenshot.png'));
const keep = args.includes('--keep');

/** Size of each framed browser view in CSS pixels; captured at 2× and shown at about 0.68×. */
const view = { width: 1100, height: 860 };
const canvas = { width: 1600, height: 900 };

for (const file of [
  serverMain,
  join(repoRoot, 'server/public/beckon.js'),
  join(repoRoot, 'server/public/app/index.html'),
]) {
  if (!existsSync(file))
    throw new Error(`${relative(repoRoot, file)} is missing: run \`npm run build\` at the repository root first.`);
}

const tempDir = await mkdtemp(join(tmpdir(), 'beckon-screenshot-'));
const port = await freePort();
const origin = `http://localhost:${port}`;
const server = await startServer(join(tempDir, 'data'), port);
const browser = await chromium.launch({
  executablePath: chromiumExecutable(),
  args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
});

try {
  const config = await (await fetch(`${origin}/v1/sites/demo/config`)).json();

  // A few visitors, each in its own context, arriving from different places. (The SDK keeps its ids
  // in memory only, so every page load is a new visitor anyway.)
  const visits = [
    ['/demo/', 'https://www.google.com/'],
    ['/demo/product.html', 'https://www.instagram.com/'],
    ['/demo/pricing.html', undefined],
    ['/demo/catalogue.html', 'https://www.google.com/'],
    ['/demo/', 'https://news.ycombinator.com/'],
    ['/demo/product.html', undefined],
    ['/demo/contact.html', 'https://duckduckgo.com/'],
    ['/demo/catalogue.html', 'https://www.pinterest.com/'],
  ];
  let leadShown = false;
  for (const [path, referer] of visits) {
    const context = await browser.newContext({ viewport: view, userAgent: devices['Desktop Chrome'].userAgent });
    const page = await context.newPage();
    await page.goto(`${origin}${path}`, { referer });
    await page.locator('beckon-widget').waitFor({ state: 'attached' });
    if (path === '/demo/product.html' && !leadShown) {
      leadShown = true;
      // One shopper turns into a lead, so the picture shows what a hot one looks like.
      await page.evaluate(() => {
        window.Beckon('track', 'add-to-cart', { sku: 'mug' });
        window.Beckon('track', 'checkout');
        window.Beckon('identify', { name: 'Ann Whitfield', email: 'ann@example.com', phone: '+44 20 7946 0000' });
      });
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 6_000))); // the next batch leaves within 5 s
    }
    await page.waitForTimeout(700); // the first pageview goes out at once; let it leave before the context closes
    await context.close();
  }

  // The agent's view: log in and open Visitors.
  const agent = await browser.newContext({ viewport: view, deviceScaleFactor: 2, colorScheme: 'light' });
  const dashboard = await agent.newPage();
  await dashboard.goto(`${origin}/app/`);
  await dashboard.getByLabel('Email').fill(admin.email);
  await dashboard.getByLabel('Password').fill(admin.password);
  await dashboard.getByRole('button', { name: /^(sign|log) in$/i }).click();
  await dashboard.getByRole('navigation').getByRole('link', { name: 'Visitors', exact: true }).click();
  await dashboard.getByRole('heading', { name: 'Visitors', exact: true }).waitFor();
  await dashboard
    .getByRole('banner')
    .getByRole('status')
    .filter({ hasText: /live|streaming/i })
    .waitFor();

  // The visitor in front of us: the demo shop with the widget open. Its pageview arrives on Visitors.
  const visitor = await browser.newContext({
    viewport: view,
    deviceScaleFactor: 2,
    colorScheme: 'light',
    userAgent: devices['Desktop Chrome'].userAgent,
  });
  const shop = await visitor.newPage();
  await shop.goto(`${origin}/demo/`, { referer: 'https://www.google.com/' });
  const host = shop.locator('beckon-widget');
  await host.getByRole('button', { name: config.widget.launcherLabel }).click();
  await host.getByRole('dialog', { name: config.widget.texts.title }).waitFor();
  await shop.mouse.move(0, view.height / 2); // no hover highlight anywhere
  await shop.waitForTimeout(800); // opening transition
  const shopPng = await shop.screenshot();

  await dashboard.getByRole('row').filter({ hasText: '/demo/' }).first().waitFor();
  await dashboard.waitForFunction((count) => document.querySelectorAll('tbody tr').length >= count, visits.length + 1);
  await dashboard.mouse.move(0, 0);
  await dashboard.waitForTimeout(800); // row entry animation
  const livePng = await dashboard.screenshot();

  // The address bars show the default port, not this run's random one.
  const html = composition({
    left: {
      png: shopPng,
      url: 'localhost:3000/demo/',
      caption: 'What a visitor sees: your site with the Beckon widget',
    },
    right: {
      png: livePng,
      url: 'localhost:3000/app/sites/demo/visitors',
      caption: 'What your team sees: who is on the site, hot or cold, as it happens',
    },
  });
  const composer = await browser.newContext({ viewport: canvas, deviceScaleFactor: 1 });
  const page = await composer.newPage();
  await page.setContent(html, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  await mkdir(dirname(out), { recursive: true });
  await page.screenshot({ path: out });

  if (keep) {
    await writeFile(join(tempDir, 'shop.png'), shopPng);
    await writeFile(join(tempDir, 'live.png'), livePng);
    await writeFile(join(tempDir, 'composition.html'), html);
    console.log(`parts kept in ${tempDir}`);
  }
  const { size } = await stat(out);
  console.log(
    `wrote ${relative(process.cwd(), out) || out} (${canvas.width} × ${canvas.height}, ${Math.round(size / 1024)} KB)`,
  );
} finally {
  await browser.close();
  await stopServer(server);
  if (!keep) await rm(tempDir, { recursive: true, force: true });
}

/** The framed pair as one HTML page. Screenshots go in as data URLs, so the page needs nothing else. */
function composition({ left, right }) {
  const frame = ({ png, url, caption }) => `
    <figure>
      <div class="window">
        <div class="bar"><i></i><i></i><i></i><span class="url">${url}</span></div>
        <img src="data:image/png;base64,${png.toString('base64')}" alt="" />
      </div>
      <figcaption>${caption}</figcaption>
    </figure>`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
  * { box-sizing: border-box; margin: 0; }
  html, body { width: ${canvas.width}px; height: ${canvas.height}px; overflow: hidden; }
  body {
    display: flex; align-items: center; justify-content: center; gap: 44px;
    background: radial-gradient(ellipse at 30% 20%, #f6f7f9 0%, #e9ecf1 55%, #dfe3ea 100%);
    font: 500 17px/1.4 "DejaVu Sans", "Liberation Sans", system-ui, sans-serif; color: #4b5563;
  }
  figure { width: 744px; display: flex; flex-direction: column; gap: 16px; }
  .window {
    border-radius: 14px; overflow: hidden; background: #fff;
    box-shadow: 0 1px 2px rgba(15, 23, 42, .08), 0 12px 28px rgba(15, 23, 42, .12), 0 32px 64px rgba(15, 23, 42, .12);
    border: 1px solid rgba(15, 23, 42, .08);
  }
  .bar { height: 38px; display: flex; align-items: center; gap: 7px; padding: 0 14px; background: #f3f4f6; border-bottom: 1px solid #e5e7eb; }
  .bar i { width: 11px; height: 11px; border-radius: 50%; background: #d1d5db; }
  .bar i:nth-child(1) { background: #f87171; } .bar i:nth-child(2) { background: #fbbf24; } .bar i:nth-child(3) { background: #34d399; }
  .url {
    margin: 0 auto; transform: translateX(-24px); min-width: 320px; text-align: center;
    font-size: 12.5px; font-weight: 400; color: #6b7280; background: #fff; border-radius: 7px; padding: 4px 14px;
  }
  img { display: block; width: 100%; height: auto; }
  figcaption { text-align: center; letter-spacing: .01em; }
</style></head>
<body>${frame(left)}${frame(right)}</body></html>`;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: found } = probe.address();
      probe.close(() => resolvePort(found));
    });
  });
}

async function startServer(dataDir, listenPort) {
  const env = {
    ...process.env,
    PORT: String(listenPort),
    HOST: '127.0.0.1',
    BECKON_DATA_DIR: dataDir,
    BECKON_ADMIN_EMAIL: admin.email,
    BECKON_ADMIN_PASSWORD: admin.password,
    BECKON_DEMO_SITE_KEY: 'demo',
    BECKON_LOG_LEVEL: 'warn',
  };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'BECKON_PUBLIC_URL', 'BECKON_TRUST_PROXY', 'NODE_OPTIONS'])
    delete env[name];
  const child = spawn(process.execPath, [serverMain], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  process.once('exit', () => child.kill('SIGKILL'));
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the server exited during start-up (code ${child.exitCode}):\n${errors}`);
    try {
      if ((await fetch(`http://127.0.0.1:${listenPort}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within 60 s:\n${errors}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
}

async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
