import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { findMigrationsDir } from '../src/migrations/find-migrations-dir.js';

const scratch: string[] = [];
afterEach(async () => {
  for (const dir of scratch.splice(0)) await rm(dir, { recursive: true, force: true });
});

it("finds the repository's migrations directory from this package", () => {
  expect(findMigrationsDir()).toBe(resolve(import.meta.dirname, '../../../migrations'));
});

it('walks up from a file URL in a nested build output, as a bundled dist would', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wiu-find-'));
  scratch.push(root);
  await mkdir(join(root, 'migrations'));
  await writeFile(join(root, 'migrations', '0001_init.sql'), 'SELECT 1;');
  await mkdir(join(root, 'apps', 'server', 'dist'), { recursive: true });

  const from = pathToFileURL(join(root, 'apps', 'server', 'dist', 'main.js')).href;

  expect(findMigrationsDir(from)).toBe(join(root, 'migrations'));
});

it('throws, asking for an explicit directory, when none holds migration files', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wiu-find-'));
  scratch.push(root);
  await mkdir(join(root, 'migrations')); // empty: not a migrations directory

  expect(() => findMigrationsDir(root)).toThrow(/pass migrationsDir explicitly/);
});
