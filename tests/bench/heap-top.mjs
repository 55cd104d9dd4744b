// Reads a sampling heap profile (bench:chat with BENCH_PROFILE=<dir> BENCH_PROFILE_KIND=heap) and prints where
// the bytes were allocated: functions by their own allocations, then by what they and their callees allocated.
// `node tests/bench/heap-top.mjs <file.heapprofile> [rows]`.
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node tests/bench/heap-top.mjs <file.heapprofile> [rows]');
const rows = Number(rowsArg ?? 25);
const { head } = JSON.parse(readFileSync(file, 'utf8'));
const label = ({ functionName, url, lineNumber }) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*\/(server|node_modules)\//, '$1/')}:${lineNumber + 1}`;
const self = new Map();
const inclusive = new Map();
let total = 0;
// Returns the bytes allocated under `node`; a function on the stack twice (recursion) counts once.
function walk(node, onStack) {
  const name = label(node.callFrame);
  total += node.selfSize;
  self.set(name, (self.get(name) ?? 0) + node.selfSize);
  const below = new Set(onStack).add(name);
  let bytes = node.selfSize;
  for (const child of node.children) bytes += walk(child, below);
  if (!onStack.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + bytes);
  return bytes;
}
walk(head, new Set());
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(
      `${((bytes / total) * 100).toFixed(1).padStart(5)} %  ${(bytes / 1e6).toFixed(1).padStart(8)} MB  ${name}`,
    );
};
console.log(`heap profile: ${(total / 1e6).toFixed(1)} MB allocated (sampled)`);
print('allocated by the function itself', self);
print('allocated by the function and its callees', inclusive);
