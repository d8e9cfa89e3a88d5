import { beforeAll, describe, expect, it } from 'vitest';
import { cruiseFixture, type Violation } from './cruise-fixture.js';

/*
 * Every violation is planted in its own file of one copy of the fixture, so a single cruise serves every case
 * and each case reads only the rules its own file broke.
 */
const planted = {
  coreImportsFramework: ['packages/core/src/planted-framework.ts', "import 'fastify';\n"],
  coreImportsTestDependency: ['packages/core/src/planted-test-dependency.ts', "import 'standardwebhooks';\n"],
  coreTestKitImportsAdapter: ['packages/core/src/testing/planted-adapter.ts', "import '../../../http-thing/src/index.js';\n"],
  adapterImportsTestLibrary: ['packages/http-thing/src/planted-vitest.ts', "import { expect } from 'vitest';\nexport const e = expect;\n"],
  adapterImportsDevDependency: ['packages/http-thing/src/planted-dev-dependency.ts', "import 'typescript';\n"],
  adapterImportsTestKit: ['packages/http-thing/src/planted-test-kit.ts', "import '@whatisup/core/testing';\n"],
  adapterImportsAdapterByName: ['packages/http-thing/src/planted-by-name.ts', "import '@whatisup/queue-thing';\n"],
  adapterImportsAdapterByPath: ['packages/http-thing/src/planted-by-path.ts', "import '../../queue-thing/src/index.js';\n"],
  adapterImportsOthersPackage: ['packages/queue-thing/src/planted-fastify.ts', "import 'fastify';\n"],
  adapterImportsApp: ['packages/queue-thing/src/planted-app.ts', "import '../../../apps/server/src/main.js';\n"],
  missingFile: ['packages/core/src/planted-missing.ts', "import './no-such-file.js';\n"],
  cycleStart: ['packages/core/src/planted-cycle-a.ts', "import './planted-cycle-b.js';\n"],
  cycleEnd: ['packages/core/src/planted-cycle-b.ts', "import './planted-cycle-a.js';\n"],
} as const satisfies Record<string, readonly [string, string]>;

let violations: Violation[];
const rulesBrokenBy = (plant: keyof typeof planted) =>
  violations.filter((v) => v.from === planted[plant][0]).map((v) => v.rule);

describe('the dependency rule checked by pnpm lint', () => {
  beforeAll(() => {
    violations = cruiseFixture(Object.fromEntries(Object.values(planted)));
  });

  it('passes a workspace that keeps it: core on node: and valibot, tests on vitest, apps wiring adapters', () => {
    expect(cruiseFixture()).toEqual([]);
  });

  it('reports nothing but the planted files', () => {
    const plantedFiles = new Set<string>(Object.values(planted).map(([file]) => file));
    expect(violations.filter((v) => !plantedFiles.has(v.from))).toEqual([]);
  });

  it('fails when core production code imports a framework', () => {
    expect(rulesBrokenBy('coreImportsFramework')).toContain('core-is-pure');
  });

  it("fails when core production code imports what core's package.json declares for its tests", () => {
    expect(rulesBrokenBy('coreImportsTestDependency')).toEqual(
      expect.arrayContaining(['core-is-pure', 'production-code-uses-no-test-library']),
    );
  });

  it("fails when core's test kit imports an adapter", () => {
    expect(rulesBrokenBy('coreTestKitImportsAdapter')).toEqual(
      expect.arrayContaining(['core-test-kit-uses-test-tools-only', 'only-apps-import-adapters']),
    );
  });

  it("fails when an adapter's production code imports a test library or core's test kit", () => {
    expect(rulesBrokenBy('adapterImportsTestLibrary')).toContain('production-code-uses-no-test-library');
    expect(rulesBrokenBy('adapterImportsTestKit')).toContain('production-code-uses-no-test-library');
  });

  it("fails when production code imports a dev dependency (here the root's typescript)", () => {
    expect(rulesBrokenBy('adapterImportsDevDependency')).toContain('production-code-uses-no-dev-dependency');
  });

  it('fails when an adapter imports another adapter, by package name or by path', () => {
    expect(rulesBrokenBy('adapterImportsAdapterByName')).toContain('adapters-do-not-import-each-other');
    expect(rulesBrokenBy('adapterImportsAdapterByPath')).toContain('adapters-do-not-import-each-other');
  });

  it('fails when an adapter imports an npm package only another adapter declares', () => {
    expect(rulesBrokenBy('adapterImportsOthersPackage')).toContain('no-undeclared-package');
  });

  it('fails when an adapter reaches into an app', () => {
    expect(rulesBrokenBy('adapterImportsApp')).toContain('adapters-depend-on-core-only');
  });

  it('fails on an import that does not resolve and on a cycle', () => {
    expect(rulesBrokenBy('missingFile')).toContain('no-unresolvable');
    expect(rulesBrokenBy('cycleStart')).toContain('no-circular');
  });
});
