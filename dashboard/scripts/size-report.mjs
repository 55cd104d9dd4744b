// Prints what the dashboard's first load downloads (index.html's scripts, module preloads and stylesheets:
// sign-in, the shell and the Inbox) and every lazy chunk, raw and gzip -9. src/bundle.test.ts enforces the
// first-load budget; keep FIRST_LOAD_BUDGET in step with it.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const FIRST_LOAD_BUDGET = 80 * 1024; // scripts and styles together
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const html = readFileSync(`${dist}index.html`, 'utf8');
const firstLoad = new Set([...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+)"/g)].map((match) => match[1]));
const rows = readdirSync(`${dist}assets`).map((name) => {
  const bytes = readFileSync(`${dist}assets/${name}`);
  return { file: `assets/${name}`, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const width = Math.max(...rows.map((row) => row.file.length));
const print = (title, list) => {
  console.log(`\n${title.padEnd(width)}  ${'raw'.padStart(10)}  ${'gzip -9'.padStart(10)}`);
  for (const row of list.sort((a, b) => b.gzip - a.gzip))
    console.log(`${row.file.padEnd(width)}  ${kb(row.raw).padStart(10)}  ${kb(row.gzip).padStart(10)}`);
};
const first = rows.filter((row) => firstLoad.has(row.file));
print('first load (sign-in, shell, Inbox)', first);
print(
  'lazy (pages, languages)',
  rows.filter((row) => !firstLoad.has(row.file)),
);
const sum = (list) => list.reduce((total, row) => total + row.gzip, 0);
const js = sum(first.filter((row) => row.file.endsWith('.js')));
const css = sum(first.filter((row) => row.file.endsWith('.css')));
const over = js + css > FIRST_LOAD_BUDGET;
console.log(
  `\nfirst load: ${kb(js + css)} gzip -9 (${kb(js)} scripts + ${kb(css)} styles), budget ${kb(FIRST_LOAD_BUDGET)}${over ? '  OVER BUDGET' : ''}\n`,
);
if (over) process.exitCode = 1;
