// Prints every artifact in widget/dist with its raw and gzip (-9) size, and the budgets that
// src/size-budget.test.ts enforces. Run after each build.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
// Keep in step with src/size-budget.test.ts, which enforces them.
const budgets = {
  'beckon.js': 5120,
  // The first click loads ui-* with its static imports, minus the shell (the test checks their sum: 15552).
  'widget/ui-*.js': 15552,
  'widget/forms-*.js': 8192,
  'widget/phone-*.js': 30720,
  'widget/form-words-*.js': 2048,
  'widget/chat-*.js': 12016,
  'widget/polling-*.js': 2048,
  ...Object.fromEntries(
    ['de', 'fr', 'es', 'ru', 'lv', 'hy', 'uz', 'am', 'si'].map((language) => [`widget/${language}-*.js`, 1536]),
  ),
  'widget/consent-*.js': 1536,
  'widget/pixels-*.js': 1536,
  'widget/external-*.js': 1536,
  'widget/triggers-*.js': 2048,
  // The chat's cards and the bubbles above the launcher: not part of the first chat open.
  'widget/extras-*.js': 3456,
  // Every page loads it with the config (the launcher and chat-storage modules are in the same file).
  'widget/shell-*.js': 4800,
};

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const budgetFor = (file) =>
  Object.entries(budgets).find(([pattern]) =>
    new RegExp(`^${pattern.replace('.', '\\.').replace('*', '.*')}$`).test(file),
  )?.[1];

const rows = [...files(dist)].map((path) => {
  const file = relative(dist, path).split('\\').join('/');
  const bytes = readFileSync(path);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const budget = budgetFor(file);
  return { file, raw: bytes.length, gzip, budget, over: budget !== undefined && gzip > budget };
});

const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const width = Math.max(8, ...rows.map((row) => row.file.length));
console.log(`\n${'artifact'.padEnd(width)}  ${'raw'.padStart(10)}  ${'gzip -9'.padStart(10)}  budget (gzip)`);
for (const row of rows) {
  const budget = row.budget === undefined ? '' : `${kb(row.budget)}${row.over ? '  OVER BUDGET' : ''}`;
  console.log(`${row.file.padEnd(width)}  ${kb(row.raw).padStart(10)}  ${kb(row.gzip).padStart(10)}  ${budget}`);
}

// What a page downloads before any intent, and what the first chat open adds (each file gzipped on its own,
// as each is its own response); src/size-budget.test.ts enforces the same first chat open budget.
const firstChatBudget = 32256;
const gzipOf = (file) => rows.find((row) => row.file === `widget/${file}`)?.gzip ?? 0;
const entry = (name) => rows.find((row) => new RegExp(`^widget/${name}-[\\w-]{8}\\.js$`).test(row.file))?.file.slice(7);
const imports = (file) =>
  [...readFileSync(join(dist, 'widget', file), 'utf8').matchAll(/from\s*["'`]\.\/([\w-]+\.js)["'`]/g)].map((m) => m[1]);
if (entry('shell') && entry('ui') && entry('chat')) {
  const shell = [entry('shell'), ...imports(entry('shell'))];
  const ui = [entry('ui'), ...imports(entry('ui'))].filter((file) => !shell.includes(file));
  const sum = (files) => files.reduce((total, file) => total + gzipOf(file), 0);
  const loader = rows.find((row) => row.file === 'beckon.js')?.gzip ?? 0;
  const firstChat = sum(shell) + sum(ui) + gzipOf(entry('chat'));
  console.log(`every page:       ${kb(loader + sum(shell))} (beckon.js ${kb(loader)} + shell ${kb(sum(shell))})`);
  console.log(
    `first chat open:  ${kb(firstChat)} besides beckon.js (shell ${kb(sum(shell))} + on the click UI ${kb(sum(ui))} + chat ${kb(gzipOf(entry('chat')))}), budget ${kb(firstChatBudget)}${firstChat > firstChatBudget ? '  OVER BUDGET' : ''}`,
  );
  if (firstChat > firstChatBudget) process.exitCode = 1;
}
console.log('');
if (rows.some((row) => row.over)) process.exitCode = 1;
