// Reads a V8 .cpuprofile (bench:chat / bench:ingest with BENCH_PROFILE=<dir>) and prints where the time
// went: the functions with the most self time, and the project's own functions by inclusive time (what a
// call costs with everything it calls). `node tests/bench/profile-top.mjs <file> [rows]`.
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node tests/bench/profile-top.mjs <file.cpuprofile> [rows]');
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

// Each sample counts once for the node it landed in (self) and for every caller above it (inclusive).
// Samples, not the time between them: on a loaded machine a descheduled process gets one late sample
// after a long gap, and weighting by the gap would charge the wait to whatever code happened to run.
const self = new Map();
const inclusive = new Map();
const label = ({ callFrame: { functionName, url, lineNumber } }) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*\/(server|node_modules)\//, '$1/')}:${lineNumber + 1}`;
let total = 0;
for (const id of profile.samples) {
  total++;
  const node = byId.get(id);
  self.set(label(node), (self.get(label(node)) ?? 0) + 1);
  // A function that recurses counts once per sample.
  const seen = new Set();
  for (let at = id; at !== undefined; at = parentOf.get(at)) {
    const name = label(byId.get(at));
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
  }
}

const print = (title, map, keep = () => true) => {
  console.log(`\n${title}`);
  const sorted = [...map]
    .filter(([name]) => keep(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows);
  for (const [name, samples] of sorted)
    console.log(
      `${((100 * samples) / total).toFixed(1).padStart(5)} %  ${String(samples).padStart(6)} samples  ${name}`,
    );
};
const wallSeconds = (profile.endTime - profile.startTime) / 1e6;
console.log(`profile: ${total} samples over ${wallSeconds.toFixed(2)} s`);
print('self time', self);
print("inclusive time, the server's own code", inclusive, (name) => name.includes(' server/dist/'));
