import { createGlobalSetup } from '@whatisup/test-infra/global-setup';
import { findMigrationsDir, runMigrations } from '../src/index.js';

// The template every test database is cloned from is migrated by the real runner.
export default createGlobalSetup({
  postgres: true,
  migrate: async (connectionString) => {
    await runMigrations({ connectionString, migrationsDir: findMigrationsDir() });
  },
});
