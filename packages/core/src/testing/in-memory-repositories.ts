import { systemClock, type Clock } from '../shared/index.js';
import type { Repositories } from '../repositories.js';
import { createInMemoryApiKeyRepository } from './in-memory-api-key-repository.js';
import { createInMemoryAuditLog } from './in-memory-audit-log.js';
import { createInMemoryChatRepository } from './in-memory-chat-repository.js';
import { createInMemoryCustomerRepository } from './in-memory-customer-repository.js';
import { createInMemoryInstanceRepository } from './in-memory-instance-repository.js';
import { createInMemoryInstanceSettingsRepository } from './in-memory-instance-settings-repository.js';
import { createInMemoryGroupCreationRepository } from './in-memory-group-creation-repository.js';
import { createInMemoryLidMappingRepository } from './in-memory-lid-mapping-repository.js';
import { createInMemoryMessageRepository } from './in-memory-message-repository.js';
import { createInMemorySessionLeaseRepository } from './in-memory-session-lease-repository.js';
import type { InMemoryState } from './in-memory-state.js';
import { createInMemoryWebhookDeliveryRepository } from './in-memory-webhook-delivery-repository.js';
import { createInMemoryWebhookEndpointRepository } from './in-memory-webhook-endpoint-repository.js';

/** Every foundation repository over one in-memory state (no locking: see createInMemoryUnitOfWork). */
export function createInMemoryRepositories(state: InMemoryState, clock: Clock = systemClock): Repositories {
  return {
    customers: createInMemoryCustomerRepository(state),
    apiKeys: createInMemoryApiKeyRepository(state),
    instances: createInMemoryInstanceRepository(state),
    leases: createInMemorySessionLeaseRepository(state),
    audit: createInMemoryAuditLog(state, clock),
    webhookEndpoints: createInMemoryWebhookEndpointRepository(state),
    webhookDeliveries: createInMemoryWebhookDeliveryRepository(state),
    messages: createInMemoryMessageRepository(state),
    lids: createInMemoryLidMappingRepository(state),
    instanceSettings: createInMemoryInstanceSettingsRepository(state),
    groupCreations: createInMemoryGroupCreationRepository(state),
    chats: createInMemoryChatRepository(state),
  };
}
