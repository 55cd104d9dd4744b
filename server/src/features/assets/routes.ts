import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { AppError } from '../../lib/errors.js';

const immutable = 'public, max-age=31536000, immutable';

/**
 * Built front-ends: the loader at `/beckon.js` (short cache: a new release must reach every site),
 * hashed widget chunks under `/widget/` (immutable), the dashboard SPA at `/app/`, the demo shop at `/demo/`.
 */
export function assetRoutes(deps: AppDeps) {
  const root = deps.publicDir;
  const app = new Hono<AppEnv>();
  if (!existsSync(root)) {
    deps.logger.warn('no built front-ends to serve; run npm run build', { publicDir: root });
    return app;
  }
  const crossOrigin = secureHeaders({ crossOriginResourcePolicy: 'cross-origin', crossOriginEmbedderPolicy: false });

  app.get(
    '/beckon.js',
    crossOrigin,
    serveStatic({
      root,
      path: 'beckon.js',
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400');
        c.header('Access-Control-Allow-Origin', '*');
      },
    }),
  );
  app.get(
    '/widget/*',
    crossOrigin,
    serveStatic({
      root,
      onFound: (_path, c) => {
        c.header('Cache-Control', immutable);
        // The UI chunk is fetched with import(), which is a CORS request from the host page.
        c.header('Access-Control-Allow-Origin', '*');
      },
    }),
  );

  app.get('/', (c) => c.redirect('/demo/'));
  app.get('/demo', (c) => c.redirect('/demo/'));
  app.get('/demo/*', async (c, next) => {
    const relative = c.req.path.slice('/demo/'.length) || 'index.html';
    if (!relative.endsWith('.html')) return next();
    const file = normalize(join(root, 'demo', relative));
    if (!file.startsWith(join(root, 'demo'))) throw new AppError('not_found', 'Page not found');
    const html = await readFile(file, 'utf8').catch(() => null);
    if (html === null) throw new AppError('not_found', 'Page not found');
    c.header('Cache-Control', 'no-cache');
    // The demo pages are written for the default key; serve them with whatever key this install seeded.
    return c.html(html.replaceAll('data-site="demo"', `data-site="${deps.config.BECKON_DEMO_SITE_KEY}"`));
  });
  app.get(
    '/demo/*',
    serveStatic({ root, onFound: (_path, c) => void c.header('Cache-Control', 'public, max-age=300') }),
  );

  app.get('/app', (c) => c.redirect('/app/'));
  app.get('/app/assets/*', serveStatic({ root, onFound: (_path, c) => void c.header('Cache-Control', immutable) }));
  app.get(
    '/app/*',
    serveStatic({ root, onFound: (_path, c) => void c.header('Cache-Control', 'public, max-age=300') }),
  );
  // Client-side routes of the SPA: any other /app/ path gets the shell.
  app.get(
    '/app/*',
    serveStatic({ root, path: 'app/index.html', onFound: (_path, c) => void c.header('Cache-Control', 'no-cache') }),
  );
  return app;
}
