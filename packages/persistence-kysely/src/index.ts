export { runMigrations, type RunMigrationsOptions, type MigrationResult } from './migrations/run-migrations.js';
export { findMigrationsDir } from './migrations/find-migrations-dir.js';
