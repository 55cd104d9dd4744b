import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const require = createRequire(import.meta.url);
/** engine.io-client's browser build, as socket.io-client (the sdk's dependency) resolves it. */
const engine = `${dirname(
  createRequire(require.resolve('socket.io-client/package.json')).resolve('engine.io-client/package.json'),
)}/build/esm/`;
const websocketTransports = '\0beckon:websocket-transports';

/**
 * The chat chunk without HTTP long-polling: engine.io-client's `Socket` picks transports by name from a
 * table of every transport it has (`transports/index.js`), so whatever `transports` says, all of them are
 * bundled. Here that table holds the WebSocket transport only; the sdk's `connectSocket` opens a WebSocket
 * and imports the long-polling transport (a chunk of its own) the first time one cannot open, handing
 * socket.io the transport classes themselves, which need no table.
 */
function websocketFirst(): Plugin {
  return {
    name: 'beckon:websocket-first',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === './transports/index.js' && importer === `${engine}socket.js` ? websocketTransports : null;
    },
    load(id) {
      if (id !== websocketTransports) return null;
      return `import { WS } from ${JSON.stringify(`${engine}transports/websocket.js`)};\nexport const transports = { websocket: WS };`;
    },
  };
}

/**
 * The UI chunk: one ES module with Preact bundled in, named by content hash so the server can cache it
 * forever. Runs before vite.loader.config.ts, which reads the file names from this build's output.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  publicDir: false,
  plugins: [websocketFirst()],
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
      treeshake: {
        // engine.io-client's entry re-exports its long-polling transports, whose modules register an unload
        // handler at load: dropped where nothing uses them (the chat chunk), kept in the polling chunk.
        moduleSideEffects: (id) => !id.startsWith(`${engine}transports/polling`),
      },
      output: {
        format: 'es',
        entryFileNames: 'widget/[name]-[hash].js',
        chunkFileNames: 'widget/[name]-[hash].js',
        minify: true,
        comments: false,
      },
    },
  },
});
