// Runs dependency-cruiser for the import-boundary checks (server/src/architecture.test.ts and the dashboard's).
//
// dependency-cruiser parses TypeScript with the TypeScript compiler API (it needs it to tell type-only imports
// from run-time ones). TypeScript 7, which builds this repo, ships no JS API, so TypeScript 5 is installed under
// the alias `typescript-compiler-api` and dependency-cruiser's `typescript` is pointed at it here, only for
// imports made from dependency-cruiser's own files. Nothing else in the process sees the alias.
import Module, { createRequire, register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const _require = createRequire(import.meta.url);
export const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cruiserDir = path.join(repoRoot, 'node_modules', 'dependency-cruiser');
const ALIAS = 'typescript-compiler-api';

let installed = false;
function pointCruiserAtTypescript5() {
  if (installed) return;
  installed = true;
  // require(): dependency-cruiser reads typescript/package.json to check the version.
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if ((request === 'typescript' || request.startsWith('typescript/')) && parent?.filename?.startsWith(cruiserDir)) {
      request = ALIAS + request.slice('typescript'.length);
    }
    return original.call(this, request, parent, ...rest);
  };
  // import(): dependency-cruiser loads the compiler with a dynamic import.
  const hooks = `
    const cruiserUrl = ${JSON.stringify(`${pathToFileURL(cruiserDir).href}/`)};
    export async function resolve(specifier, context, next) {
      if ((specifier === 'typescript' || specifier.startsWith('typescript/')) && context.parentURL?.startsWith(cruiserUrl)) {
        return next(${JSON.stringify(ALIAS)} + specifier.slice('typescript'.length), context);
      }
      return next(specifier, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
}

/**
 * Cruises `paths` (relative to `baseDir`, default the repo root) with a dependency-cruiser configuration object
 * ({ forbidden, options }) and returns dependency-cruiser's result (`output` object).
 */
export async function cruiseBoundaries(paths, config, baseDir = repoRoot) {
  pointCruiserAtTypescript5();
  const { cruise } = await import('dependency-cruiser');
  const previous = process.cwd();
  process.chdir(baseDir);
  try {
    const result = await cruise(
      paths,
      { ...config.options, ruleSet: { forbidden: config.forbidden ?? [] }, validate: true, outputType: 'json' },
      config.resolveOptions ?? {},
    );
    return typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
  } finally {
    process.chdir(previous);
  }
}

const featureOf = (source, root) => (source.startsWith(root) ? source.slice(root.length).split('/')[0] : undefined);
const isTest = (source) => /\.test\.tsx?$/.test(source);

/**
 * Edges between the feature folders under `root` (e.g. 'server/src/features/'), from the cruised modules; test
 * files do not count, nor schema.ts → schema.ts (foreign keys between tables of two features).
 * @returns {Map<string, Set<string>>}
 */
export function featureGraph(modules, root) {
  const graph = new Map();
  for (const module of modules) {
    const from = featureOf(module.source, root);
    if (!from || isTest(module.source)) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const dependency of module.dependencies) {
      const to = featureOf(dependency.resolved, root);
      if (!to || to === from) continue;
      if (module.source.endsWith('/schema.ts') && dependency.resolved.endsWith('/schema.ts')) continue;
      graph.get(from).add(to);
    }
  }
  return graph;
}

/** The cycles of a feature graph: its strongly connected components of more than one feature, sorted (Tarjan). */
export function featureCycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/**
 * Modules reachable through run-time (not type-only) imports from the non-test modules `start` accepts; packages
 * are included (as their resolved file) but not followed.
 * @returns {Set<string>}
 */
export function runTimeReach(modules, start) {
  const bySource = new Map(modules.map((module) => [module.source, module]));
  const seen = new Set();
  const queue = modules
    .filter((module) => start(module.source) && !isTest(module.source))
    .map((module) => module.source);
  while (queue.length > 0) {
    const source = queue.pop();
    if (seen.has(source)) continue;
    seen.add(source);
    for (const dependency of bySource.get(source)?.dependencies ?? []) {
      if (dependency.dependencyTypes.includes('type-only')) continue;
      if (dependency.resolved.includes('node_modules/')) seen.add(dependency.resolved);
      else queue.push(dependency.resolved);
    }
  }
  return seen;
}
