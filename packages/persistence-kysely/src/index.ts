export { runMigrations, type RunMigrationsOptions, type MigrationResult } from './migrations/run-migrations.js';
export { findMigrationsDir } from './migrations/find-migrations-dir.js';
export type * from './database.js';
export { createKyselyDatabase, type KyselyDatabaseOptions, type PoolStats } from './create-kysely-database.js';
export { createKyselyCustomerRepository } from './kysely-customer-repository.js';
export { createKyselyApiKeyRepository } from './kysely-api-key-repository.js';
export { createKyselyInstanceRepository } from './kysely-instance-repository.js';
export { createKyselyAuditLog, type KyselyAuditLogOptions } from './kysely-audit-log.js';
export {
  createKyselyWebhookEndpointRepository,
} from './kysely-webhook-endpoint-repository.js';
export { createKyselyWebhookDeliveryRepository } from './kysely-webhook-delivery-repository.js';
export { createKyselyMessageRepository } from './kysely-message-repository.js';
export { createKyselySessionLeaseRepository } from './kysely-session-lease-repository.js';
export { createKyselyNodeRegistry } from './kysely-node-registry.js';
export { createKyselySessionCredentialRepository } from './kysely-session-credential-repository.js';
export { createKyselyRepositories, type KyselyRepositoriesOptions } from './kysely-repositories.js';
export { createKyselyUnitOfWork, type KyselyUnitOfWorkOptions } from './kysely-unit-of-work.js';
export {
  createKyselyRetentionJob,
  DEFAULT_MESSAGE_RETENTION_DAYS,
  DEFAULT_CHAT_RETENTION_DAYS,
  DEFAULT_PARTITIONS_AHEAD,
  type KyselyRetentionJobOptions,
  type RetentionJob,
  type RetentionReport,
} from './kysely-retention-job.js';
export { runAsLeader, type LeaderRun } from './kysely-leader-lock.js';
export { createKyselyLeaderLock } from './kysely-leader-lock-port.js';
export { jsonParameter, MAX_STORED_JSON_DEPTH } from './json-parameter.js';
export { checkStatementTemplates } from './statement-template.js';
