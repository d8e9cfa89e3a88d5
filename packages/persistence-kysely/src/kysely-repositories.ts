import type { Repositories } from '@whatisup/core';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { createKyselyApiKeyRepository } from './kysely-api-key-repository.js';
import { createKyselyAuditLog, type KyselyAuditLogOptions } from './kysely-audit-log.js';
import { createKyselyCustomerRepository } from './kysely-customer-repository.js';
import { createKyselyInstanceRepository } from './kysely-instance-repository.js';

/** Every repository bound to `db`, which may be the pool or one transaction. */
export function createKyselyRepositories(db: Kysely<Database>, options: KyselyAuditLogOptions = {}): Repositories {
  return {
    customers: createKyselyCustomerRepository(db),
    apiKeys: createKyselyApiKeyRepository(db),
    instances: createKyselyInstanceRepository(db),
    audit: createKyselyAuditLog(db, options),
  };
}
