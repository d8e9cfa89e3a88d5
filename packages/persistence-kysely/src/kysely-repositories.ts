import type { Repositories } from '@whatisup/core';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { createKyselyApiKeyRepository } from './kysely-api-key-repository.js';
import { createKyselyAuditLog, type KyselyAuditLogOptions } from './kysely-audit-log.js';
import { createKyselyChatRepository } from './kysely-chat-repository.js';
import { createKyselyCustomerRepository } from './kysely-customer-repository.js';
import { createKyselyInstanceRepository } from './kysely-instance-repository.js';
import { createKyselyInstanceSettingsRepository } from './kysely-instance-settings-repository.js';
import { createKyselyLidMappingRepository } from './kysely-lid-mapping-repository.js';
import { createKyselyGroupCreationRepository } from './kysely-group-creation-repository.js';
import { createKyselyMessageRepository } from './kysely-message-repository.js';
import { createKyselySessionLeaseRepository } from './kysely-session-lease-repository.js';
import { createKyselyWebhookDeliveryRepository } from './kysely-webhook-delivery-repository.js';
import { createKyselyWebhookEndpointRepository } from './kysely-webhook-endpoint-repository.js';

export type KyselyRepositoriesOptions = KyselyAuditLogOptions;

/** Every repository bound to `db`, which may be the pool or one transaction. */
export function createKyselyRepositories(db: Kysely<Database>, options: KyselyRepositoriesOptions = {}): Repositories {
  return {
    customers: createKyselyCustomerRepository(db),
    apiKeys: createKyselyApiKeyRepository(db),
    instances: createKyselyInstanceRepository(db),
    leases: createKyselySessionLeaseRepository(db),
    audit: createKyselyAuditLog(db, options),
    webhookEndpoints: createKyselyWebhookEndpointRepository(db),
    webhookDeliveries: createKyselyWebhookDeliveryRepository(db),
    messages: createKyselyMessageRepository(db),
    lids: createKyselyLidMappingRepository(db),
    instanceSettings: createKyselyInstanceSettingsRepository(db),
    groupCreations: createKyselyGroupCreationRepository(db),
    chats: createKyselyChatRepository(db),
  };
}
