/*
 * The dependency rule, checked by `pnpm lint` (and proved to bite by tooling/lint-checks):
 *  - core production code imports node: built-ins and valibot only. Valibot is allowed because the
 *    request/response schemas belong to the domain and are meant to live in core;
 *  - core's test kit (src/testing/**, src/testing.ts) and its tests may also import vitest and what core's
 *    package.json declares;
 *  - an adapter (any packages/<name>/ other than core) imports core and the npm packages its own package.json
 *    declares, never another adapter; only apps import adapters, except that the test infrastructure may
 *    start the embedded PostgreSQL (an adapter for infrastructure, not for a port);
 *  - production code never imports a test library, nor core's test kit.
 *
 * npm packages are resolved but not followed (doNotFollow), so rules see every import of a package by its
 * resolved path (node_modules/.pnpm/<name>@<version>/node_modules/<name>/...) without cruising its insides.
 * Which package.json declares a package is read from the importing file's closest package.json plus the root
 * one (combinedDependencies), so the root's tool devDependencies (vitest, typescript) count as dev
 * dependencies everywhere and nothing else leaks between packages.
 */

/** Any workspace package under packages/ except core; new adapters are covered without editing this file. */
const adapter = '^packages/(?!core/)[^/]+/';
const coreTestKit = '^packages/core/src/testing(/|\\.ts$)';
// Test files, and the harnesses beside them that set a use case up for its tests (they import vitest and the
// test kit, and nothing that ships imports them).
const testFile = '(\\.test|-harness)\\.ts$';

/** The resolved path of an npm package (pnpm's real path, or the bare name when it cannot be resolved). */
const npmPackage = (names) => `(^|(^|/)node_modules/)(${names.join('|')})(/|$)`;
const testLibraries = npmPackage(['vitest', '@vitest/[^/]+', 'testcontainers', '@testcontainers/[^/]+', 'standardwebhooks']);

/** Code that ships: any src/ file that is not a test, core's test kit, or the test infrastructure. */
const productionCode = {
  path: '(^|/)src/',
  pathNot: [testFile, coreTestKit, '^tooling/test-infra/'],
};

module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'packages/core depends on nothing of ours and no framework or driver: node: built-ins and valibot only ' +
        '(valibot because the request/response schemas are domain code that moves into core).',
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: [testFile, coreTestKit] },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^packages/core/src/', npmPackage(['valibot'])],
      },
    },
    {
      name: 'core-test-kit-uses-test-tools-only',
      comment:
        "core's test kit and tests may add vitest and the packages core's package.json declares (e.g. " +
        'standardwebhooks to verify signatures); never an adapter, app or tooling file.',
      severity: 'error',
      from: { path: [`${coreTestKit}`, `^packages/core/src/.*${testFile}`] },
      to: {
        dependencyTypesNot: ['core', 'npm', 'npm-dev', 'npm-peer', 'npm-optional'],
        pathNot: ['^packages/core/src/', npmPackage(['valibot', 'vitest', '@vitest/[^/]+'])],
      },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      from: { path: '^packages/(?!core/)([^/]+)/' },
      to: { path: adapter, pathNot: '^packages/$1/' },
    },
    {
      name: 'adapters-depend-on-core-only',
      comment: 'Of our own code an adapter reaches only core (tests may also use tooling/test-infra).',
      severity: 'error',
      from: { path: '^packages/(?!core/)([^/]+)/src/', pathNot: testFile },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^packages/(core|$1)/', '(^|/)node_modules/'],
        couldNotResolve: false, // reported by no-unresolvable
      },
    },
    {
      name: 'only-apps-import-adapters',
      comment: 'tooling/test-infra may import postgres-embedded: it starts a database, it implements no port.',
      severity: 'error',
      from: { pathNot: ['^apps/', adapter] },
      to: { path: adapter, pathNot: '^packages/postgres-embedded/' },
    },
    {
      name: 'only-apps-and-test-infra-import-postgres-embedded',
      severity: 'error',
      from: { pathNot: ['^apps/', '^tooling/test-infra/', '^packages/postgres-embedded/'] },
      to: { path: '^packages/postgres-embedded/' },
    },
    {
      name: 'no-undeclared-package',
      comment:
        "Import only npm packages the importing package's own package.json declares (or the root's tools); " +
        'pnpm hoisting or a sibling package must not make an undeclared import work by accident.',
      severity: 'error',
      from: { path: '^(packages|apps|tooling)/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'production-code-uses-no-dev-dependency',
      comment: 'A devDependency is absent where the package is installed for production.',
      severity: 'error',
      from: productionCode,
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'production-code-uses-no-test-library',
      comment: "Test libraries and core's test kit stay out of code that ships.",
      severity: 'error',
      from: productionCode,
      to: { path: [testLibraries, coreTestKit] },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import pnpm cannot resolve is an undeclared dependency (or a typo).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // Only our own build output and caches; npm packages (which often live in a dist/ folder) stay visible.
    exclude: { path: '^(packages|apps|tooling)/[^/]+/(dist|node_modules|\\.turbo|fixtures)/' },
    combinedDependencies: true,
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@whatisup/source', 'import', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.json'],
    },
  },
};
