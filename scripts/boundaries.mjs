// Runs dependency-cruiser for the import-boundary checks (server/src/architecture.test.ts and the dashboard's).
//
// dependency-cruiser parses TypeScript with the TypeScript compiler API (it needs it to tell type-only imports
// from run-time ones). TypeScript 7, which builds this repo, ships no JS API, so TypeScript 5 is installed under
// the alias `typescript-compiler-api` and dependency-cruiser's `typescript` is pointed at it here, only for
// imports made from dependency-cruiser's own files. Nothing else in the process sees the alias.
import Module, { createRequire, register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
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
    const cruiserUrl = ${JSON.stringify(pathToFileURL(cruiserDir).href + '/')};
    export async function resolve(specifier, context, next) {
      if ((specifier === 'typescript' || specifier.startsWith('typescript/')) && context.parentURL?.startsWith(cruiserUrl)) {
        return next(${JSON.stringify(ALIAS)} + specifier.slice('typescript'.length), context);
      }
      return next(specifier, context);
    }`;
  register('data:text/javascript,' + encodeURIComponent(hooks), import.meta.url);
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
