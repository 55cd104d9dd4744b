/// <reference types="node" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The dashboard's import boundaries (issue 16), with dependency-cruiser's `cruise` and the rules in
 * dependency-cruiser.rules.cjs: features use each other only through their faces (features/X/index.ts),
 * lib/ and components/ import no feature, no module cycles, no cycles between features, no server code,
 * no zod at run time. A planted violation (two features importing each other's internals, and the rest)
 * proves the check can fail.
 */

const dashboardDir = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);
const rules = require('../dependency-cruiser.rules.cjs') as object;

/**
 * dependency-cruiser parses TypeScript with the TypeScript compiler API, which it accepts below 7; the repo
 * builds with TypeScript 7 (no JS API). Its `typescript` is pointed at `typescript-compiler-api` (an
 * npm alias of TypeScript 5): the version check reads the package.json through require, the parser loads
 * the module through import.
 */
function pointDependencyCruiserAtTypeScript5() {
  const modulePrivate = Module as unknown as {
    _resolveFilename(request: string, parent: { filename?: string } | undefined, ...rest: unknown[]): string;
  };
  const original = modulePrivate._resolveFilename;
  modulePrivate._resolveFilename = function (request, parent, ...rest) {
    const fromCruiser = parent?.filename?.includes('/dependency-cruiser/') ?? false;
    const swapped =
      fromCruiser && (request === 'typescript' || request.startsWith('typescript/'))
        ? request.replace(/^typescript/, 'typescript-compiler-api')
        : request;
    return original.call(this, swapped, parent, ...rest);
  };
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === 'typescript' && context.parentURL && context.parentURL.includes('/dependency-cruiser/')) return next('typescript-compiler-api', context);
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, pathToFileURL(dashboardDir));
}

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}
interface CruiseModule {
  source: string;
  dependencies: { resolved: string; dependencyTypes: string[] }[];
}

/** Cruises `<baseDir>/src` with the dashboard's rules. */
async function check(baseDir: string): Promise<{ violations: Violation[]; modules: CruiseModule[] }> {
  const { cruise } = await import('dependency-cruiser');
  const result = await cruise(
    ['src'],
    {
      baseDir,
      ruleSet: rules as never,
      validate: true,
      tsPreCompilationDeps: true,
      // Outside the dashboard (node_modules, the sdk, the server) only the edge is recorded, not followed.
      doNotFollow: { path: ['node_modules', '^\\.\\./'] },
      // Packages by their exports' runtime entries (@beckon/sdk/protocol → sdk/dist/protocol/index.js).
      enhancedResolveOptions: {
        exportsFields: ['exports'],
        conditionNames: ['import', 'default'],
        mainFields: ['module', 'main'],
      },
    },
    {},
    {},
  );
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned text, not a result');
  const { summary, modules } = result.output;
  return { violations: summary.violations as unknown as Violation[], modules: modules as unknown as CruiseModule[] };
}

/** Cycles between feature folders (A uses B's face, B uses A's): each cycle as its features in order. */
function featureCycles(modules: readonly CruiseModule[]): string[][] {
  const featureOf = (path: string) => /^src\/features\/([^/]+)\//.exec(path)?.[1];
  const edges = new Map<string, Set<string>>();
  for (const module of modules) {
    const from = featureOf(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = featureOf(dependency.resolved);
      if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) {
      const cycle = path.slice(at);
      const key = [...cycle].sort().join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push(cycle);
      }
      return;
    }
    for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
  };
  for (const node of edges.keys()) visit(node, []);
  return cycles;
}

beforeAll(() => pointDependencyCruiserAtTypeScript5());

describe('dashboard import boundaries', () => {
  it('holds for the dashboard: faces only, shared code feature-free, no cycles, no server code, no zod at run time', async () => {
    const { violations, modules } = await check(dashboardDir);
    const unresolved = modules.flatMap((module) =>
      module.dependencies.filter((d) => d.resolved.startsWith('@beckon/')).map((d) => d.resolved),
    );
    if (unresolved.length > 0)
      throw new Error(
        `${unresolved[0]} does not resolve: build the sdk and widget first (npm run build -w sdk -w widget)`,
      );
    expect(modules.filter((module) => module.source.startsWith('src/features/')).length).toBeGreaterThan(50);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    expect(featureCycles(modules)).toEqual([]);
  }, 120_000);

  describe('a planted violation', () => {
    let fixture: string;
    beforeAll(() => {
      // Inside dashboard/, so `zod` and the server resolve as they would from real code.
      fixture = mkdtempSync(join(dashboardDir, '.boundary-fixture-'));
      const files: Record<string, string> = {
        'src/features/a/index.ts': "export { a } from './A';\n",
        'src/features/a/A.ts': "import { b } from '../b/B';\nexport const a = () => b;\n",
        'src/features/b/index.ts': "export { b, c } from './B';\n",
        'src/features/b/B.ts': "import { a } from '../a/A';\nexport const b = 1;\nexport const c = () => a;\n",
        // Through the faces only, but round a loop: c → d → c.
        'src/features/c/index.ts': "import { d } from '../d';\nexport const c = () => d;\n",
        'src/features/d/index.ts': "import type { c } from '../c';\nexport const d = 1;\nexport type C = typeof c;\n",
        'src/lib/shared.ts': "import { a } from '../features/a';\nexport const shared = a;\n",
        'src/lib/schema.ts': "import { z } from 'zod';\nexport const name = z.string();\n",
        'src/lib/types.ts': "import type { ZodType } from 'zod';\nexport type Schema = ZodType;\n",
        'src/server-call.ts': "import '../../../server/src/main';\n",
        // A page entry imported statically (it would land in the first load), and one loaded lazily (fine).
        'src/features/e/page.ts': 'export const EPage = () => null;\n',
        'src/features/f/page.ts': 'export const FPage = () => null;\n',
        'src/eager.ts': "import { EPage } from './features/e/page';\nexport const page = EPage;\n",
        'src/lazy.ts': "export const page = () => import('./features/f/page').then((m) => m.FPage);\n",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(fixture, path)), { recursive: true });
        writeFileSync(join(fixture, path), text);
      }
    });
    afterAll(() => rmSync(fixture, { recursive: true, force: true }));

    it('is reported, each by its rule', async () => {
      const { violations, modules } = await check(fixture);
      const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
      expect(found).toEqual(
        expect.arrayContaining([
          'feature-internals: src/features/a/A.ts → src/features/b/B.ts',
          'feature-internals: src/features/b/B.ts → src/features/a/A.ts',
          'no-cycles: src/features/a/A.ts → src/features/b/B.ts',
          'shared-imports-no-feature: src/lib/shared.ts → src/features/a/index.ts',
          expect.stringMatching(/^no-zod-at-runtime: src\/lib\/schema\.ts → .*node_modules\/zod\//),
          expect.stringMatching(/^no-server-code: src\/server-call\.ts → .*server\/src\/main\.ts$/),
          'pages-load-lazily: src/eager.ts → src/features/e/page.ts',
        ]),
      );
      expect(found.filter((line) => line.includes('src/lazy.ts'))).toEqual([]);
      // A type-only import of zod is fine.
      expect(found.filter((line) => line.includes('src/lib/types.ts'))).toEqual([]);
      // c and d use each other's faces only (d only for a type), yet the features form a loop.
      const cycles = featureCycles(modules).map((cycle) => [...cycle].sort().join(' ↔ '));
      expect(cycles).toEqual(expect.arrayContaining(['a ↔ b', 'c ↔ d']));
    }, 120_000);
  });
});
