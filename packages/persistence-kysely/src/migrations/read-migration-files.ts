import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One migration file as found on disk. */
export interface MigrationFile {
  /** The file name, e.g. `0001_initial_schema.sql`; the ledger's primary key. */
  readonly name: string;
  /** sha256 of the file's bytes, hex. */
  readonly checksum: string;
  readonly sql: string;
}

const MIGRATION_NAME = /^\d{4}_[a-z0-9_]+\.sql$/;

/**
 * Reads every `NNNN_name.sql` file of `dir`, in name order. A `.sql` file that does not follow the naming
 * scheme is an error rather than silently skipped: it would otherwise never be applied.
 */
export async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir);
  const sqlFiles = entries.filter((entry) => entry.endsWith('.sql')).sort();
  const misnamed = sqlFiles.filter((entry) => !MIGRATION_NAME.test(entry));
  if (misnamed.length > 0) {
    throw new Error(
      `Migration files must be named NNNN_lower_snake_name.sql; rename ${misnamed.join(', ')} in ${dir}.`,
    );
  }
  return Promise.all(
    sqlFiles.map(async (name) => {
      const bytes = await readFile(join(dir, name));
      return { name, checksum: sha256(bytes), sql: bytes.toString('utf8') };
    }),
  );
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
