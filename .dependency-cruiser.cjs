/**
 * The import rules of pasis-node (ARCHITECTURE.md, "Imports go one way"), checked by
 * `pnpm check:imports` in `.ci/run`. Any violation fails the check:
 *
 * - no cycle, of values or of types, anywhere;
 * - an adapter never imports another adapter, core never imports an adapter or a store, and
 *   a package reaches another only through its public entries (the `exports` map), never
 *   into its sources;
 * - inside core, a folder imports only the folders listed for it in CORE_FOLDERS below:
 *   adding an edge means adding it there, where a reviewer sees it.
 *
 * Tests (`*.test.ts`, `*.test-d.ts`, `test-support/`) may import any folder of their own
 * package, since they sit next to what they test; across packages they obey the same rules.
 */

/** Each core folder, and the core folders (besides itself) its sources may import. */
const CORE_FOLDERS = {
  util: [],
  logging: ['util'],
  events: ['util', 'client'],
  telemetry: ['util', 'events'],
  client: ['util', 'logging', 'telemetry'],
  dedupe: ['util', 'logging', 'events'],
  webhooks: ['util', 'logging', 'telemetry', 'events', 'client', 'dedupe'],
  reconcile: ['util', 'logging', 'telemetry', 'events', 'client', 'webhooks'],
  adapter: ['util', 'logging', 'client', 'dedupe', 'webhooks', 'reconcile'],
  node: ['logging', 'webhooks'],
  testing: ['util', 'logging', 'events', 'client', 'dedupe', 'webhooks', 'reconcile'],
};

const ADAPTERS = '(express|fastify|nestjs)';
const STORES_AND_TOOLS = '(redis|postgres|sandbox)';
const TESTS = '(\\.test(-d)?\\.ts$|/test-support/)';

/** The rule for one core folder: nothing outside itself, the root files and its list. */
function coreFolderRule([folder, allowed]) {
  const reachable = [folder, ...allowed].join('|');
  return {
    name: `core-folder-${folder}`,
    comment:
      `packages/core/src/${folder}/ may import only ${allowed.length > 0 ? allowed.join(', ') : 'nothing'} ` +
      'of the other core folders (and the root files errors.ts, config.ts): see CORE_FOLDERS in ' +
      '.dependency-cruiser.cjs and ARCHITECTURE.md before adding an edge.',
    severity: 'error',
    from: { path: `^packages/core/src/${folder}/`, pathNot: TESTS },
    to: {
      path: '^packages/core/src/',
      pathNot: [`^packages/core/src/(${reachable})/`, '^packages/core/src/(errors|config)\\.ts$'],
    },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'A cycle (of values or of types) means two modules are one concept, or one is misplaced.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'adapter-to-adapter',
      comment:
        'Adapters never import each other: what two would share belongs to core (core/node, core/adapter).',
      severity: 'error',
      from: { path: `^packages/${ADAPTERS}/` },
      to: { path: `^packages/${ADAPTERS}/`, pathNot: '^packages/$1/' },
    },
    {
      name: 'core-to-outside',
      comment: 'Core imports no adapter, store or tool: they depend on it, never the reverse.',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: `^packages/(${ADAPTERS.slice(1, -1)}|${STORES_AND_TOOLS.slice(1, -1)})/` },
    },
    {
      name: 'into-internals',
      comment:
        "A package reaches another only through its public entries (its package.json's exports), " +
        'never into its sources.',
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/[^/]+/src/', pathNot: '^packages/$1/' },
    },
    {
      name: 'outside-into-internals',
      comment:
        'Examples, end-to-end tests and benchmarks use the packages as their users do: public entries only.',
      severity: 'error',
      from: { path: '^(examples|tests|bench)/' },
      // A package's test-support/ (a throwaway database, a browser) is shared with the
      // end-to-end tests: it is test code, never published, and has no entry to go through.
      to: { path: '^packages/[^/]+/src/', pathNot: '^packages/[^/]+/src/test-support/' },
    },
    {
      name: 'shop-to-shop',
      comment: 'A shop shows its framework only: what two shops share belongs to shop-kit.',
      severity: 'error',
      from: { path: '^examples/(express|fastify|nestjs)/' },
      to: { path: '^examples/', pathNot: ['^examples/$1/', '^examples/shop-kit/'] },
    },
    {
      name: 'core-entry-from-inside',
      comment: "Core's entry files are where the outside comes in: nothing inside core imports them.",
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: TESTS },
      to: { path: '^packages/core/src/(index|(adapter|node|testing)/index)\\.ts$' },
    },
    {
      name: 'unresolvable',
      comment: 'An import that resolves to nothing: a typo, or a path the exports map does not open.',
      severity: 'error',
      from: { path: '^(packages|examples)/' },
      to: { couldNotResolve: true },
    },
    ...Object.entries(CORE_FOLDERS).map(coreFolderRule),
  ],
  options: {
    // A package's public entry resolves into its built dist/ (its exports map): kept as the
    // edge's target, so that the rules see which package an import reaches, but not followed.
    doNotFollow: { path: '(^|/)(node_modules|dist)/' },
    // Cruised from the sources (`packages/*/src`, `examples/*/src`, `tests`, `bench`): dist/
    // only ever appears as what an import reaches.
    // Prisma's generated clients (gitignored, written by `prisma generate`) are not ours to shape.
    exclude: { path: '(^|/)(node_modules|coverage)/|^tests/consumer/fixtures/|/generated/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.d.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
