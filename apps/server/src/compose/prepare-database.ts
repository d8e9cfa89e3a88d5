/*
 * Before anything else touches Postgres: in development create the database when it does not exist (so a
 * fresh machine needs no manual createdb), then apply pending migrations under the runner's advisory lock
 * (several processes may start at once). Both as the schema's owner (MIGRATION_DATABASE_URL).
 */
import { findMigrationsDir, runMigrations } from '@whatisup/persistence-kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { CommonConfig } from '../config/common-config.js';

export async function prepareDatabase(
  config: Pick<CommonConfig, 'nodeEnv' | 'migrationDatabaseUrl'>,
  logger: Logger,
  options: { migrate: boolean },
): Promise<void> {
  if (config.nodeEnv !== 'production') await createDatabaseIfMissing(config.migrationDatabaseUrl.reveal(), logger);
  if (!options.migrate) return;
  const { applied } = await runMigrations({
    connectionString: config.migrationDatabaseUrl.reveal(),
    migrationsDir: findMigrationsDir(),
    log: (message) => logger.debug({ component: 'migrations' }, message),
  });
  if (applied.length > 0) logger.info({ applied }, 'applied database migrations');
}

async function createDatabaseIfMissing(url: string, logger: Logger): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch {
    return; // no admin access: let the real connection report what is wrong
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      logger.info({ database: name }, 'created the development database');
    }
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error; // 42P04: created meanwhile by another process
  } finally {
    await client.end();
  }
}
