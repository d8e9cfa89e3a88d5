import { findMigrationsDir, runMigrations } from '@whatisup/persistence-kysely';
import { createGlobalSetup } from '@whatisup/test-infra/global-setup';

// The template every test database is cloned from is migrated by the real runner, as production does.
export default createGlobalSetup({
  postgres: true,
  redis: true,
  migrate: async (connectionString) => {
    await runMigrations({ connectionString, migrationsDir: findMigrationsDir() });
  },
});
