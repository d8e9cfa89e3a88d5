import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMigrationsDir } from '../src/index.js';

export interface TempMigrations {
  readonly dir: string;
  write(name: string, sql: string): Promise<void>;
  remove(name: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** A scratch migrations directory; `withRepoSchema` starts it with a copy of the repository's 0001. */
export async function tempMigrations(files: Record<string, string> = {}, withRepoSchema = false): Promise<TempMigrations> {
  const dir = await mkdtemp(join(tmpdir(), 'wiu-migrations-'));
  if (withRepoSchema) {
    const name = '0001_initial_schema.sql';
    await copyFile(join(findMigrationsDir(), name), join(dir, name));
  }
  const write = (name: string, sql: string) => writeFile(join(dir, name), sql);
  for (const [name, sql] of Object.entries(files)) await write(name, sql);
  return {
    dir,
    write,
    remove: (name) => rm(join(dir, name)),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
