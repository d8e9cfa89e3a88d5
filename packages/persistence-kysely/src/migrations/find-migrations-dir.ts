import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's `migrations/` directory, found by walking up from `from` (default: this module's own
 * location). The same search works from the TypeScript source, from this package's `dist`, and from a
 * bundle in `apps/server/dist`, so callers need no path arithmetic. Throws when no directory named
 * `migrations` holding `NNNN_*.sql` files exists above `from`: pass an explicit directory instead.
 */
export function findMigrationsDir(from: string = import.meta.url): string {
  const start = from.startsWith('file:') ? fileURLToPath(from) : from;
  let dir = isDirectory(start) ? start : dirname(start);
  for (;;) {
    const candidate = join(dir, 'migrations');
    if (isDirectory(candidate) && readdirSync(candidate).some((name) => /^\d{4}_.*\.sql$/.test(name))) {
      return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`No migrations directory found above ${start}; pass migrationsDir explicitly.`);
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
