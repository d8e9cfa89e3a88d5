import type { MigrationFile } from './read-migration-files.js';

/** What the `_migrations` ledger says landed: file name → checksum. */
export type Ledger = ReadonlyMap<string, string>;

/**
 * Checks the files on disk against the ledger and returns the files still to apply, in order. Throws,
 * naming the file, when a landed migration was edited (checksum mismatch) or deleted, or when a pending
 * file sorts before one that already landed (it would run after migrations written to follow it).
 */
export function verifyLedger(files: readonly MigrationFile[], ledger: Ledger): MigrationFile[] {
  const onDisk = new Set(files.map((file) => file.name));
  for (const name of ledger.keys()) {
    if (!onDisk.has(name)) {
      throw new Error(`Migration ${name} was applied to this database but its file is missing. Restore it.`);
    }
  }
  for (const file of files) {
    const landed = ledger.get(file.name);
    if (landed !== undefined && landed !== file.checksum) {
      throw new Error(
        `Migration ${file.name} was edited after it was applied (checksum ${file.checksum} differs from ` +
          `the recorded ${landed}). Landed migrations are never edited: restore it and add a new file.`,
      );
    }
  }
  const pending = files.filter((file) => !ledger.has(file.name));
  const lastLanded = [...ledger.keys()].sort().at(-1);
  const early = lastLanded === undefined ? undefined : pending.find((file) => file.name < lastLanded);
  if (early && lastLanded) {
    throw new Error(
      `Migration ${early.name} is pending but ${lastLanded}, which sorts after it, already landed. ` +
        'Renumber it after the last applied migration.',
    );
  }
  return pending;
}
