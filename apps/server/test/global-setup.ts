import { createGlobalSetup } from '@whatisup/test-infra/global-setup';
// By path, not by package name: vitest loads global setup files in its `__vitest__` environment, which does
// not get the `@whatisup/source` export condition from vitest.shared.ts, so a workspace package name would
// resolve to a `dist` that tests never build. The migration modules import no workspace package.
import { findMigrationsDir } from '../../../packages/persistence-kysely/src/migrations/find-migrations-dir.js';
import { runMigrations } from '../../../packages/persistence-kysely/src/migrations/run-migrations.js';

// The template every test database is cloned from is migrated by the real runner, as production does.
export default createGlobalSetup({
  postgres: true,
  redis: true,
  migrate: async (connectionString) => {
    await runMigrations({ connectionString, migrationsDir: findMigrationsDir() });
  },
});
