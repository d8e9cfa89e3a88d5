/*
 * Runs `pnpm lint`'s dependency-cruiser config over a copy of fixtures/workspace, a miniature of this
 * repository's layout, so a test can plant a violation without touching the real tree. npm packages are
 * stubbed in the copy's node_modules and workspace packages are linked there, as pnpm would.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(packageDir, '../..');
const fixture = path.join(packageDir, 'fixtures/workspace');
const stubbedPackages = ['vitest', 'valibot', 'standardwebhooks', 'fastify', 'bullmq', 'typescript'];
const workspacePackages = ['core', 'http-thing', 'queue-thing'];

export interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

/** Copies the fixture, writes `planted` (path → source) over it, cruises it and returns the violations. */
export function cruiseFixture(planted: Record<string, string> = {}): Violation[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'whatisup-lint-'));
  try {
    cpSync(fixture, dir, { recursive: true });
    cpSync(path.join(repoRoot, 'tsconfig.base.json'), path.join(dir, 'tsconfig.base.json'));
    for (const name of stubbedPackages) {
      const stubDir = path.join(dir, 'node_modules', name);
      mkdirSync(stubDir, { recursive: true });
      writeFileSync(path.join(stubDir, 'package.json'), JSON.stringify({ name, version: '0.0.0', main: 'index.js' }));
      writeFileSync(path.join(stubDir, 'index.js'), 'export default {};\n');
    }
    mkdirSync(path.join(dir, 'node_modules/@whatisup'));
    for (const name of workspacePackages) {
      symlinkSync(path.join(dir, 'packages', name), path.join(dir, 'node_modules/@whatisup', name), 'dir');
    }
    for (const [file, source] of Object.entries(planted)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), source);
    }
    const run = spawnSync(
      process.execPath,
      [
        path.join(packageDir, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        '--config',
        path.join(repoRoot, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
        'packages',
        'apps',
      ],
      { cwd: dir, encoding: 'utf8', timeout: 60_000 },
    );
    if (!run.stdout) throw new Error(`dependency-cruiser produced no report: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    return report.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
