import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

/** The UI build's output file, as the loader will import it: `widget/ui-[hash].js`. */
function uiFile(): string {
  const dir = fileURLToPath(new URL('./dist/widget', import.meta.url));
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((file) => /^ui-[\w-]+\.js$/.test(file));
  } catch {
    // Reported below.
  }
  if (files.length !== 1) {
    throw new Error(`expected one UI chunk in ${dir}, found ${files.length}: run vite.ui.config.ts first`);
  }
  return `widget/${files[0]}`;
}

/**
 * `beckon.js`: a classic script (IIFE) because the snippet is a plain `<script async>`. IIFE builds
 * cannot split code, hence the separate UI build whose file name is injected here.
 */
export default defineConfig((): UserConfig => ({
  publicDir: false,
  define: { __BECKON_UI_FILE__: JSON.stringify(uiFile()) },
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
}));
