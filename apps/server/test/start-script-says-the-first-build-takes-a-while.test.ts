/*
 * `pnpm start` on a fresh clone builds the server and nine packages before the server says anything: the build step
 * (tooling/build-server.mjs) says the first build takes a while and shows its output, and stays quiet
 * on later starts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');
const script = join(repo, 'tooling/build-server.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'build-server-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const dryRun = (root: string) => execFileSync(process.execPath, [script, '--dry-run', `--root=${root}`], { encoding: 'utf8' });

describe('the build step of pnpm start', () => {
  it('runs before the server in the start and whatisup scripts', () => {
    const scripts = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['start']).toBe('node tooling/build-server.mjs && node --v8-pool-size=0 apps/server/dist/main.js');
    expect(scripts['whatisup']).toMatch(/^node tooling\/build-server\.mjs 1>&2 && node --v8-pool-size=0 /);
  });

  it('says the first build takes a while and shows the build output', () => {
    const fresh = join(scratch, 'fresh');
    mkdirSync(fresh);
    const out = dryRun(fresh);
    expect(out).toMatch(/^Building the server \(the first time takes a few minutes\)…\n/);
    expect(out).toContain('--filter=@whatisup/server... --output-logs=new-only');
  });

  it('stays quiet when the server was built before', () => {
    const built = join(scratch, 'built');
    mkdirSync(join(built, 'apps/server/dist'), { recursive: true });
    writeFileSync(join(built, 'apps/server/dist/main.js'), '');
    const out = dryRun(built);
    expect(out).not.toContain('Building');
    expect(out).toContain('--output-logs=errors-only');
  });
});
