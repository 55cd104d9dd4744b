// Sums what a bench's statements cost PostgreSQL, per statement, from the plans auto_explain wrote to its log
// (a bench run with BENCH_AUTO_EXPLAIN=0 logs every statement with its actual time; see auto-explain.mjs).
// `node tests/bench/statement-times.mjs <postgresql log> [database] [rows]`; the database defaults to the
// last bench database in the log. Statements are told apart by their first line of text; the times include
// auto_explain's own overhead (it times every plan node), so read them as shares, not as absolute costs.
// Foreign-key checks and other statements run inside a statement show up as their own lines.
import { readFileSync } from 'node:fs';

const [file, databaseArg, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node tests/bench/statement-times.mjs <postgresql log> [database] [rows]');
const lines = readFileSync(file, 'utf8').split('\n');
const entry = /^\S+ \S+ \S+ \[\d+\] \S+@(\S+) LOG:\s+duration: ([\d.]+) ms\s+plan:/;
const database =
  databaseArg ||
  lines
    .map((line) => entry.exec(line)?.[1])
    .filter((name) => name?.startsWith('beckon_bench'))
    .at(-1);
if (!database) throw new Error(`no bench database's plans in ${file}: was the run made with BENCH_AUTO_EXPLAIN=0?`);

/** The statement's first non-empty line of text, from the "Query Text:" that follows a plan's header. */
function statementAt(index) {
  for (let at = index + 1; at < Math.min(index + 4, lines.length); at++) {
    const marker = lines[at].indexOf('Query Text:');
    if (marker < 0) continue;
    let text = lines[at].slice(marker + 'Query Text:'.length).trim();
    for (let next = at + 1; !text && next < lines.length; next++) text = lines[next].trim();
    return text.slice(0, 90);
  }
  return '(no text)';
}

const byStatement = new Map();
let total = 0;
lines.forEach((line, index) => {
  const match = entry.exec(line);
  if (!match || match[1] !== database) return;
  const ms = Number(match[2]);
  const statement = statementAt(index);
  const sum = byStatement.get(statement) ?? { count: 0, ms: 0 };
  sum.count++;
  sum.ms += ms;
  byStatement.set(statement, sum);
  total += ms;
});

console.log(`database ${database}: ${total.toFixed(1)} ms in ${byStatement.size} statements\n`);
console.log(
  `${'total ms'.padStart(10)}  ${'runs'.padStart(7)}  ${'ms each'.padStart(8)}  ${'share'.padStart(6)}  statement`,
);
for (const [statement, { count, ms }] of [...byStatement]
  .sort((a, b) => b[1].ms - a[1].ms)
  .slice(0, Number(rowsArg ?? 15))) {
  const share = `${((100 * ms) / total).toFixed(1)} %`;
  console.log(
    `${ms.toFixed(1).padStart(10)}  ${String(count).padStart(7)}  ${(ms / count).toFixed(3).padStart(8)}  ${share.padStart(6)}  ${statement}`,
  );
}
