import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

/** A UI build's output file, as the loader will import it: `widget/<name>-[hash].js`. */
function builtFile(name: string): string {
  const dir = fileURLToPath(new URL('./dist/widget', import.meta.url));
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((file) => new RegExp(`^${name}-[\\w-]+\\.js$`).test(file));
  } catch {
    // Reported below.
  }
  if (files.length !== 1) {
    throw new Error(`expected one ${name} chunk in ${dir}, found ${files.length}: run vite.ui.config.ts first`);
  }
  return `widget/${files[0]}`;
}

/**
 * `beckon.js`: a classic script (IIFE) because the snippet is a plain `<script async>`. IIFE builds
 * cannot split code, hence the separate UI build whose file name is injected here.
 */
export default defineConfig(
  (): UserConfig => ({
    publicDir: false,
    define: {
      __BECKON_UI_FILE__: JSON.stringify(builtFile('ui')),
      __BECKON_CHUNKS__: JSON.stringify({
        shell: builtFile('shell'),
        consent: builtFile('consent'),
        pixels: builtFile('pixels'),
        external: builtFile('external'),
        triggers: builtFile('triggers'),
      }),
    },
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2020',
      minify: true,
      reportCompressedSize: false,
      rolldownOptions: {
        input: 'src/loader/index.ts',
        output: { format: 'iife', entryFileNames: 'beckon.js' },
      },
    },
  }),
);
