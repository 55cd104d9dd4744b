// The import-boundary check (issue 16; ARCHITECTURE.md, "Module boundaries"). dependency-cruiser reads
// server/src, sdk/src and widget/src with the rules of /.dependency-cruiser.cjs; this file adds the two checks
// dependency-cruiser's rules cannot say directly: no cycle between server *features* (folders, not modules), and
// no zod or server module reachable from the widget through run-time imports. A last test plants violations in a
// scratch folder and asserts each check reports them, so the check cannot pass by reading nothing.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as BoundaryConfig;

interface BoundaryConfig {
  forbidden: object[];
  options: object;
  resolveOptions: object;
}
interface Dependency {
  resolved: string;
  dependencyTypes: string[];
}
interface Module {
  source: string;
  dependencies: Dependency[];
}
interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}
interface CruiseOutput {
  modules: Module[];
  summary: { violations: Violation[]; totalCruised: number };
}

const { cruiseBoundaries, featureGraph, featureCycles, runTimeReach } = (await import(
  '../../scripts/boundaries.mjs'
)) as {
  cruiseBoundaries: (paths: string[], config: BoundaryConfig, baseDir?: string) => Promise<CruiseOutput>;
  featureGraph: (modules: Module[], root: string) => Map<string, Set<string>>;
  featureCycles: (graph: Map<string, Set<string>>) => string[][];
  runTimeReach: (modules: Module[], start: (source: string) => boolean) => Set<string>;
};

const FEATURES = 'server/src/features/';

describe('import boundaries (server, sdk, widget)', async () => {
  const result = await cruiseBoundaries(['server/src', 'sdk/src', 'widget/src'], config);

  it('reads the whole code base', () => {
    expect(result.summary.totalCruised).toBeGreaterThan(300);
    expect(result.modules.some((module) => module.source === 'server/src/features/chat/index.ts')).toBe(true);
  });

  it('has no feature importing another feature’s internals, no feature below lib/ or db/, no server code in sdk or widget', () => {
    const violations = result.summary.violations.map(
      (violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`,
    );
    expect(violations).toEqual([]);
  });

  it('has no cycle between server features', () => {
    const cycles = featureCycles(featureGraph(result.modules, FEATURES));
    expect(cycles).toEqual([]);
  });

  it('ships no zod and no server module in the widget (run-time imports, followed through the sdk)', () => {
    const reached = [...runTimeReach(result.modules, (source) => source.startsWith('widget/src/'))];
    expect(reached.filter((source) => /(^|\/)node_modules\/zod\/|^server\//.test(source))).toEqual([]);
  });
});

describe('the boundary check itself', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'beckon-boundaries-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    writeFileSync(path.join(scratch, file), text);
  };

  it('reports a planted internal import, a planted feature cycle, lib importing a feature and zod in the widget', async () => {
    // Two fake features that import each other's internals, a lib module that imports a feature, a widget
    // module that imports zod and server code, and one good import through a face.
    write('server/src/features/alpha/index.ts', "export { alpha } from './service.js';\n");
    write(
      'server/src/features/alpha/service.ts',
      "import { betaInternal } from '../beta/service.js';\nexport const alpha = () => betaInternal();\n",
    );
    write('server/src/features/beta/index.ts', "export { betaInternal } from './service.js';\n");
    write(
      'server/src/features/beta/service.ts',
      "import { alpha } from '../alpha/index.js';\nexport const betaInternal = () => alpha;\n",
    );
    write(
      'server/src/lib/helper.ts',
      "import { alpha } from '../features/alpha/index.js';\nexport const helper = alpha;\n",
    );
    write(
      'widget/src/loader/index.ts',
      "import { z } from 'zod';\nimport { helper } from '../../../server/src/lib/helper.js';\nexport const w = [z, helper];\n",
    );
    write('package.json', '{ "name": "scratch", "type": "module" }\n');
    mkdirSync(path.join(scratch, 'node_modules'), { recursive: true });
    write('node_modules/zod/package.json', '{ "name": "zod", "main": "index.js" }\n');
    write('node_modules/zod/index.js', 'export const z = {};\n');

    const planted = await cruiseBoundaries(['server/src', 'widget/src'], config, scratch);
    const byRule = planted.summary.violations.map(
      (violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`,
    );
    expect(byRule).toEqual(
      expect.arrayContaining([
        'feature-through-face: server/src/features/alpha/service.ts → server/src/features/beta/service.ts',
        'lib-and-db-below-features: server/src/lib/helper.ts → server/src/features/alpha/index.ts',
        'widget-no-server: widget/src/loader/index.ts → server/src/lib/helper.ts',
        'widget-no-zod-at-run-time: widget/src/loader/index.ts → node_modules/zod/index.js',
      ]),
    );
    // beta → alpha goes through alpha's face and is not reported as an internal import ...
    expect(byRule.filter((line) => line.startsWith('feature-through-face: server/src/features/beta/'))).toEqual([]);
    // ... but alpha ⇄ beta is still a cycle between features.
    expect(featureCycles(featureGraph(planted.modules, FEATURES))).toEqual([['alpha', 'beta']]);
    expect([...runTimeReach(planted.modules, (source) => source.startsWith('widget/src/'))]).toEqual(
      expect.arrayContaining([
        'node_modules/zod/index.js',
        'server/src/lib/helper.ts',
        'server/src/features/alpha/index.ts',
      ]),
    );
  }, 120_000);
});
