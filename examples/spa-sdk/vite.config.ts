import { defineConfig } from 'vite';

/**
 * A plain single-page app. `VITE_BECKON_ENDPOINT` and `VITE_BECKON_SITE` are read from the environment
 * (or a `.env.local` file) by Vite itself; see src/config.ts for the defaults.
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    // The origin to allow for the site in the dashboard is http://localhost:5173.
    port: 5173,
  },
  preview: {
    port: 4173,
  },
});
