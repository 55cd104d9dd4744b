import { defineConfig } from 'vite';

/**
 * The UI chunk: one ES module with Preact bundled in, named by content hash so the server can cache it
 * forever. Runs before vite.loader.config.ts, which reads the file names from this build's output.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    reportCompressedSize: false,
    // No <link rel=modulepreload> injected into the host page: the widget never writes outside its shadow root.
    modulePreload: false,
    rolldownOptions: {
      // The panel, and small chunks the loader imports only when needed: the launcher shell (with the
      // config fetch), the consent prompt (mode `required`, nothing decided yet), the ad pixels (an
      // audience entered) and the consent-manager adapters (mode `external`).
      input: {
        ui: 'src/ui/index.tsx',
        shell: 'src/loader/lazy/shell.ts',
        consent: 'src/ui/consent/prompt.ts',
        pixels: 'src/loader/lazy/pixels.ts',
        external: 'src/loader/lazy/external.ts',
        triggers: 'src/loader/lazy/triggers.ts',
      },
      // Keep the entries' exports: nothing in this build imports them, the loader does at run time.
      preserveEntrySignatures: 'strict',
      output: {
        format: 'es',
        entryFileNames: 'widget/[name]-[hash].js',
        chunkFileNames: 'widget/[name]-[hash].js',
        // Preact and the panel frame are shared by the UI entry and the lazily imported forms chunk, so
        // they get one named chunk that the entry imports statically (the budget test counts them together).
        codeSplitting: {
          groups: [{ name: 'panel-core', test: /node_modules[\\/]preact|src[\\/]ui[\\/](Panel|Icon|strings)\.tsx?$/ }],
        },
      },
    },
  },
});
