// Import boundaries of the server, sdk and widget (issue 16). Checked in `npm test` by
// server/src/architecture.test.ts through scripts/boundaries.mjs; ARCHITECTURE.md "Module boundaries" explains
// the rules. The dashboard's rules live in its own test: it may reuse `serverRules`, `options`, `resolveOptions`
// and `sdkAlias` from here, and `cruiseBoundaries`, `featureGraph` (any features root, e.g.
// 'dashboard/src/features/'), `featureCycles` and `runTimeReach` from scripts/boundaries.mjs.
//
// Words used below: a server *feature* is a folder server/src/features/X/; its *face* is X/index.ts; its
// *schema* is X/schema.ts (tables and relations; read by any feature through the index server/src/db/schema.ts).
const path = require('node:path');

const FEATURE = '^server/src/features/([^/]+)/';
const notTest = '\\.test\\.ts$';

/** Rules that hold for server/src, sdk/src and widget/src. */
const serverRules = [
  {
    name: 'feature-through-face',
    comment:
      'A server feature imports another feature only through its face (features/X/index.ts). ' +
      "A feature's schema.ts may import another feature's schema.ts (foreign keys, relations). " +
      'Tests (*.test.ts) may import any internals.',
    severity: 'error',
    from: { path: FEATURE, pathNot: notTest },
    to: {
      path: '^server/src/features/([^/]+)/',
      pathNot: [
        '^server/src/features/$1/',
        '^server/src/features/[^/]+/index\\.ts$',
        '^server/src/features/[^/]+/schema\\.ts$',
      ],
    },
  },
  {
    name: 'app-through-face',
    comment: 'app.ts, server.ts, realtime/, fuzz/ and testing/ use a feature only through its face (tests excepted).',
    severity: 'error',
    from: { path: '^server/src/', pathNot: ['^server/src/features/', '^server/src/db/schema\\.ts$', notTest] },
    to: { path: '^server/src/features/', pathNot: '^server/src/features/[^/]+/(index|schema)\\.ts$' },
  },
  {
    name: 'schema-only-from-schema',
    comment:
      "Only a schema.ts imports another feature's schema.ts directly; everyone else reads tables through db/schema.ts.",
    severity: 'error',
    from: { path: FEATURE, pathNot: [notTest, '/schema\\.ts$'] },
    to: { path: '^server/src/features/([^/]+)/schema\\.ts$', pathNot: '^server/src/features/$1/' },
  },
  {
    name: 'lib-and-db-below-features',
    comment:
      'server/src/lib and server/src/db sit below the features and import none, except db/schema.ts, ' +
      'the index that re-exports every feature schema.ts.',
    severity: 'error',
    from: { path: '^server/src/(lib|db)/', pathNot: ['^server/src/db/schema\\.ts$', notTest] },
    to: { path: '^server/src/features/' },
  },
  {
    name: 'db-schema-index-only-schemas',
    comment: 'db/schema.ts re-exports feature schema.ts files and nothing else from the features.',
    severity: 'error',
    from: { path: '^server/src/db/schema\\.ts$' },
    to: { path: '^server/src/features/', pathNot: '^server/src/features/[^/]+/schema\\.ts$' },
  },
  {
    name: 'widget-no-server',
    comment: 'The widget is a browser bundle: it never imports server code.',
    severity: 'error',
    from: { path: '^widget/src/' },
    to: { path: '^server/' },
  },
  {
    name: 'widget-no-zod-at-run-time',
    comment: 'The widget ships without zod: it may import sdk protocol types, never zod itself at run time.',
    severity: 'error',
    from: { path: '^widget/src/', pathNot: notTest },
    to: { path: 'node_modules/zod/', dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'sdk-no-server',
    comment: 'The sdk (used by browsers and the server) never imports server code.',
    severity: 'error',
    from: { path: '^sdk/src/' },
    to: { path: '^server/' },
  },
];

const sdkSrc = (p) => path.join(__dirname, 'sdk/src', p);
/** Resolve @beckon/sdk/* to the sdk's source (as vitest.shared.ts does), so the sdk is checked, not its build. */
const sdkAlias = {
  '@beckon/sdk/protocol/constants$': sdkSrc('protocol/constants.ts'),
  '@beckon/sdk/protocol$': sdkSrc('protocol/index.ts'),
  '@beckon/sdk/core$': sdkSrc('core/index.ts'),
  '@beckon/sdk/chat$': sdkSrc('chat/index.ts'),
  '@beckon/sdk$': sdkSrc('index.ts'),
};

const options = {
  tsPreCompilationDeps: true,
  doNotFollow: { path: 'node_modules' },
  exclude: { path: ['(^|/)dist/', '\\.d\\.ts$'] },
  enhancedResolveOptions: {
    extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
    conditionNames: ['import', 'require', 'node', 'default', 'types'],
  },
};

/** Passed to enhanced-resolve as is (cruise's third argument). */
const resolveOptions = { alias: sdkAlias, extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } };

module.exports = { forbidden: serverRules, options, serverRules, sdkAlias, resolveOptions, FEATURE };
