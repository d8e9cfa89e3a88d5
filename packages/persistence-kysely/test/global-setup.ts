import { createGlobalSetup } from '@whatisup/test-infra/global-setup';
// The migration modules directly, not src/index.js: vitest loads global setup without the
// `@whatisup/source` condition, so nothing imported here may import @whatisup/core.
import { findMigrationsDir } from '../src/migrations/find-migrations-dir.js';
import { runMigrations } from '../src/migrations/run-migrations.js';

// The template every test database is cloned from is migrated by the real runner.
export default createGlobalSetup({
  postgres: true,
  migrate: async (connectionString) => {
    await runMigrations({ connectionString, migrationsDir: findMigrationsDir() });
  },
});
