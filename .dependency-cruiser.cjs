/*
 * The dependency rule (DESIGN section 2), checked by `pnpm lint`:
 *  - core imports no framework, driver or adapter (node: built-ins and valibot only; its testing export and
 *    tests may use vitest);
 *  - adapters depend on core only, never on each other;
 *  - only apps import adapters.
 */
const adapters = '^packages/(persistence-kysely|queue-bullmq|whatsapp-baileys|whatsapp-sandbox|http-fastify|outbound-undici)/';

module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'packages/core depends on nothing of ours and no framework (valibot at most).',
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: ['\\.test\\.ts$', '^packages/core/src/testing'] },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^packages/core/', '/valibot/'],
      },
    },
    {
      name: 'core-testing-uses-test-tools-only',
      severity: 'error',
      from: { path: '^packages/core/src/(testing|.*\\.test\\.ts$)' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^packages/core/', '/(valibot|vitest|@vitest|standardwebhooks)/'],
      },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      from: { path: `${adapters}` },
      to: { path: adapters, pathNot: '^packages/$1/' },
    },
    {
      name: 'only-apps-import-adapters',
      severity: 'error',
      from: { pathNot: ['^apps/', adapters] },
      to: { path: adapters },
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
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|\\.turbo)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@whatisup/source', 'import', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.json'],
    },
  },
};
