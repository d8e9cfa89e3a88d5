import type { ApiKeyRepository } from '../tenancy/api-key-repository.js';
import type { AuditLog } from './audit-log.js';
import type { CustomerRepository } from '../tenancy/customer-repository.js';
import type { InstanceRepository } from '../instances/instance-repository.js';
import type { MessageRepository } from '../messages/message-repository.js';
import type { WebhookDeliveryRepository } from '../webhooks/deliveries/webhook-delivery-repository.js';
import type { WebhookEndpointRepository } from '../webhooks/endpoints/webhook-endpoint-repository.js';

/**
 * Every repository, bound to one connection or transaction. Later features add their repositories here
 * so that a state change and what it records (audit row, webhook deliveries) commit together.
 */
export interface Repositories {
  readonly customers: CustomerRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly instances: InstanceRepository;
  readonly audit: AuditLog;
  readonly webhookEndpoints: WebhookEndpointRepository;
  readonly webhookDeliveries: WebhookDeliveryRepository;
  readonly messages: MessageRepository;
}

export interface UnitOfWork {
  /** Repositories outside any transaction (single statements). */
  readonly repos: Repositories;
  /**
   * Runs `work` in one transaction: everything it writes commits together or not at all. A thrown error
   * rolls back and is rethrown unchanged. Work registered with `afterCommit` runs only after a commit.
   */
  transaction<T>(work: (repos: Repositories, tx: TransactionContext) => Promise<T>): Promise<T>;
}

export interface TransactionContext {
  /**
   * Runs `effect` after the transaction commits (e.g. enqueue a job); never on rollback. Effects run in
   * order; one that fails is reported to the unit of work's error hook and does not fail the caller: what
   * it meant to do must be recoverable from the database (the sweepers re-drive it).
   */
  afterCommit(effect: () => Promise<void> | void): void;
}
