import type { Page, PageRequest } from '../../shared/index.js';
import type {
  StoredWebhookEndpoint,
  WebhookEndpoint,
  WebhookEndpointDisabledReason,
  WebhookEndpointSecrets,
} from './webhook-endpoint.js';
import type { EventName } from '../../events/index.js';
import type { EventSelector } from './endpoint-matches.js';

/** Fields a patch may change; undefined leaves a field as it is. */
export interface WebhookEndpointPatch {
  readonly url?: string;
  readonly events?: readonly EventSelector[];
  readonly description?: string | null;
  readonly enabled?: boolean;
  /** Must be null when `enabled` becomes true and set when it becomes false. */
  readonly disabledReason?: WebhookEndpointDisabledReason | null;
}

/** The customer's endpoints as the fan-out limits see them. */
export interface WebhookEndpointCounts {
  readonly total: number;
  /** Bound to no instance: every instance's events reach them. */
  readonly customerWide: number;
  /** Bound to the instance asked about (0 when none was). */
  readonly boundToInstance: number;
  /** The most endpoints bound to any one instance. */
  readonly mostBoundToOneInstance: number;
}

/**
 * Webhook endpoints (table `webhook_endpoints`). Tenant-scoped: every method but `listAllSecrets` takes the
 * customer id, and another customer's endpoint behaves exactly like an absent one. Secrets cross this port
 * sealed only; the public reads (`findById`, `list`, `findMatching`) return no secret at all.
 */
export interface WebhookEndpointRepository {
  /** Inserts the endpoint. Throws `DomainError('conflict')` on a duplicate id. */
  create(endpoint: StoredWebhookEndpoint): Promise<WebhookEndpoint>;
  /**
   * Counts the customer's endpoints (enabled or not: a disabled one can be re-enabled). Inside a transaction
   * it first takes a per-customer lock held until the transaction ends, so two creations cannot both pass
   * a limit. `instanceId` (or null) is the instance `boundToInstance` counts for.
   */
  countEndpoints(customerId: string, instanceId: string | null): Promise<WebhookEndpointCounts>;
  /** The customer's endpoint, or null when absent or another customer's. */
  findById(customerId: string, id: string): Promise<WebhookEndpoint | null>;
  /** The endpoint with its sealed secrets (the delivery worker), or null when absent or another customer's. */
  findStored(customerId: string, id: string): Promise<StoredWebhookEndpoint | null>;
  /** The customer's endpoints, newest first; `instanceId` keeps only endpoints bound to that instance. */
  list(customerId: string, page: PageRequest, filter?: { instanceId?: string }): Promise<Page<WebhookEndpoint>>;
  /**
   * The customer's ENABLED endpoints that want the event (see `endpointMatches`): bound to no instance or
   * to `instanceId`, and subscribed to `event` or `*`. Oldest first. Empty when none.
   */
  findMatching(customerId: string, event: { instanceId: string | null; name: EventName }): Promise<WebhookEndpoint[]>;
  /** Applies the patch and sets `updatedAt`. Returns the endpoint, or null when absent or another customer's. */
  update(customerId: string, id: string, patch: WebhookEndpointPatch, at: Date): Promise<WebhookEndpoint | null>;
  /**
   * Disables an enabled endpoint with a reason (compare-and-set: the worker's 410 path audits only once).
   * Returns the endpoint, or null when absent, another customer's or already disabled.
   */
  disable(customerId: string, id: string, reason: WebhookEndpointDisabledReason, at: Date): Promise<WebhookEndpoint | null>;
  /** Replaces the sealed secrets (rotation, re-sealing). Returns the endpoint, or null when absent. */
  setSecrets(customerId: string, id: string, secrets: WebhookEndpointSecrets, at: Date): Promise<WebhookEndpoint | null>;
  /**
   * Deletes the endpoint and, with it, its deliveries and their attempts (the schema cascades). Returns the
   * endpoint as it was, or null when absent or another customer's.
   */
  delete(customerId: string, id: string): Promise<WebhookEndpoint | null>;
  /**
   * Every customer's endpoints with sealed secrets, by id ascending, strictly after `afterId`, at most
   * `limit` (the operator's re-seal command walks them all). Not tenant-scoped by design: only the CLI calls it.
   */
  listAllSecrets(afterId: string | null, limit: number): Promise<StoredWebhookEndpoint[]>;
}
