/**
 * The dashboard's import boundaries (issue 16), checked by src/architecture.test.ts with dependency-cruiser.
 * Paths are relative to the folder cruised from (dashboard/, or a test fixture laid out the same way).
 * Feature-to-feature cycles are checked in the test itself (they are cycles between folders, which a
 * per-module rule does not see).
 *
 * - A feature (src/features/X) uses another feature only through its face, src/features/Y/index.ts.
 * - Code outside the features (App, main) uses a feature only through its face too, and loads a feature's page
 *   through its page entry (features/X/page.ts) with a dynamic import() only, so every page but the Inbox is a
 *   lazy chunk.
 * - Shared code (src/lib, src/components) imports no feature: the app wires features into the shell.
 * - No module cycles outside type-only imports.
 * - The browser never imports server code, and never zod at run time (types from @beckon/sdk/protocol
 *   are fine; its runtime values come from @beckon/sdk/protocol/constants).
 */
module.exports = {
  forbidden: [
    {
      name: 'feature-internals',
      comment: 'A feature imports another feature only through its face (features/X/index.ts).',
      severity: 'error',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/[^/]+/', pathNot: ['^src/features/$1/', '^src/features/[^/]+/index\\.tsx?$'] },
    },
    {
      name: 'app-uses-faces',
      comment: 'App and main use a feature only through its face (features/X/index.ts) or its page entry (page.ts).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/features/' },
      to: { path: '^src/features/[^/]+/', pathNot: '^src/features/[^/]+/(index|page)\\.tsx?$' },
    },
    {
      name: 'pages-load-lazily',
      comment:
        'A page entry (features/X/page.ts) is loaded with import() only, so the page stays out of the first download (lazyPage in components/LazyPage.tsx).',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/features/[^/]+/page\\.tsx?$', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'shared-imports-no-feature',
      comment:
        'lib/ and components/ are shared by every feature and depend on none (the app wires features into the shell).',
      severity: 'error',
      from: { path: '^src/(lib|components)/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'no-cycles',
      comment: 'No module imports itself round a loop (type-only imports aside: they vanish at build time).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-server-code',
      comment: 'The dashboard runs in browsers: it never imports the server.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: ['(^|/)server/(src|dist)/', '^@beckon/server'] },
    },
    {
      name: 'no-zod-at-runtime',
      comment:
        'Browsers get the protocol as types only: zod (directly, or through the @beckon/sdk/protocol barrel) only in type-only imports. Unit tests run in Node, not in the bundle: they may parse with the protocol schemas.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.tsx?$' },
      to: {
        path: ['(^|/)node_modules/zod/', '^zod$', '(^|/)sdk/(src|dist)/protocol/index\\.[jt]s$'],
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
};
