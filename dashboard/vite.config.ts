import { pollingHasNoSideEffects, websocketFirst } from '../widget/vite.websocket-first.ts';
import { defineConfig } from 'vite';

/** Where `npm run dev` forwards API, socket.io and widget requests (a server started with `npm start`). */
const target = process.env.BECKON_DEV_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  // The server mounts the built SPA at /app/ and answers every unknown /app/* path with index.html.
  base: '/app/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  // The `/agent` socket opens a WebSocket; long-polling is a chunk fetched only after one failed.
  plugins: [websocketFirst()],
  resolve: {
    // The widget preview renders with the dashboard's Preact: two copies would break hooks.
    dedupe: ['preact'],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      treeshake: { moduleSideEffects: pollingHasNoSideEffects },
      output: {
        // A lazy page's chunk is named after its feature (`page-team-[hash].js`), not after `page.ts`.
        chunkFileNames: (chunk) => {
          const feature = /\/features\/([^/]+)\/page\.tsx?$/.exec(chunk.facadeModuleId ?? '')?.[1];
          return feature ? `assets/page-${feature}-[hash].js` : 'assets/[name]-[hash].js';
        },
        codeSplitting: {
          // One chunk per language (`i18n-ru.js`…) instead of one per catalogue folder: choosing a
          // language is one fetch, and English users download none of them.
          groups: [
            {
              name: (id: string) => `i18n-${/\/i18n\/([a-z]{2})\.ts$/.exec(id)?.[1] ?? 'x'}`,
              test: /\/i18n\/(?!en\.ts$)[a-z]{2}\.ts$/,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target, changeOrigin: true },
      '/socket.io': { target, changeOrigin: true, ws: true },
      // Same-origin helpers so the Install page's snippet and the demo work in development too.
      '/beckon.js': { target, changeOrigin: true },
      '/v1': { target, changeOrigin: true },
      '/demo': { target, changeOrigin: true },
    },
  },
});
