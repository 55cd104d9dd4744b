import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { engineParserHasNoSideEffects, textSocket } from './vite.text-socket.js';
import { unusedMembers } from './vite.unused-members.js';
import { unusedOptions } from './vite.unused-options.js';
import { pollingHasNoSideEffects, websocketFirst } from './vite.websocket-first.js';

/**
 * The UI chunk: one ES module with Preact bundled in, named by content hash so the server can cache it
 * forever. Runs before vite.loader.config.ts, which reads the file names from this build's output.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  publicDir: false,
  // The automatic JSX runtime on Preact's createElement (src/ui/jsx-runtime.ts).
  resolve: { alias: { 'preact/jsx-runtime': fileURLToPath(new URL('./src/ui/jsx-runtime.ts', import.meta.url)) } },
  plugins: [websocketFirst(), textSocket(), unusedMembers(), unusedOptions()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    reportCompressedSize: false,
    // No <link rel=modulepreload> injected into the host page: the widget never writes outside its shadow root.
    modulePreload: false,
    /**
     * Library mode, for one effect: Vite wraps every dynamic `import()` of an app build in its preload
     * helper (a shared chunk of 0.9 KB gzipped, fetched on the first click) even when, as here, there is
     * nothing to preload. A library build imports chunks as they are. The output options below (names, minification,
     * no comments) replace the library defaults.
     */
    lib: {
      // The panel, and small chunks the loader imports only when needed: the launcher shell (with the
      // config fetch), the consent prompt (mode `required`, nothing decided yet), the ad pixels (an
      // audience entered) and the consent-manager adapters (mode `external`).
      entry: {
        ui: 'src/ui/index.tsx',
        shell: 'src/loader/lazy/shell.ts',
        consent: 'src/ui/consent/prompt.ts',
        pixels: 'src/loader/lazy/pixels.ts',
        external: 'src/loader/lazy/external.ts',
        triggers: 'src/loader/lazy/triggers.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      // The entries keep their exports (the loader imports them at run time) and may gain more: Preact and
      // the panel frame stay in the UI entry, and the lazily imported chunks (forms, languages) import them
      // from it, rather than from a shared chunk the first click would fetch as a file of its own.
      preserveEntrySignatures: 'allow-extension',
      // The chat chunk opens a WebSocket; long-polling is a chunk of its own (vite.websocket-first.ts).
      treeshake: { moduleSideEffects: (id) => pollingHasNoSideEffects(id) && engineParserHasNoSideEffects(id) },
      output: {
        format: 'es',
        entryFileNames: 'widget/[name]-[hash].js',
        chunkFileNames: 'widget/[name]-[hash].js',
        minify: true,
        comments: false,
        /**
         * The launcher and the chat-storage check, which the UI, the forms and the consent prompt import too, go
         * into the shell entry rather than into shared chunks of their own: every page loads the shell (the
         * loader imports it with the config), so what imports them later finds them loaded, and one file
         * instead of three saves the per-file gzip cost: shell and its imports 5,122 -> 4,753 bytes gzipped.
         */
        codeSplitting: {
          groups: [
            { name: 'shell', test: /src[\\/](shared[\\/](launcher|chat-storage)|loader[\\/]lazy[\\/]shell)\.ts$/ },
          ],
        },
      },
    },
  },
});
