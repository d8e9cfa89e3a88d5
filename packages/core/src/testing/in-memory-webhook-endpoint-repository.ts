import {
  withoutSecrets,
  endpointMatches,
  type StoredWebhookEndpoint,
  type WebhookEndpointRepository,
} from '../webhooks/index.js';
import { DomainError } from '../shared/index.js';
import { pageOf, type InMemoryState } from './in-memory-state.js';
import type { StoredDeliveryRow } from './in-memory-webhook-delivery-repository.js';

export function createInMemoryWebhookEndpointRepository(state: InMemoryState): WebhookEndpointRepository {
  const rows = state.webhookEndpoints as Map<string, StoredWebhookEndpoint>;
  const owned = (customerId: string, id: string): StoredWebhookEndpoint | null => {
    const row = rows.get(id);
    return row !== undefined && row.customerId === customerId ? row : null;
  };
  const replace = (row: StoredWebhookEndpoint): StoredWebhookEndpoint => {
    rows.set(row.id, row);
    return row;
  };

  /** The schema's ON DELETE CASCADE: an endpoint takes its deliveries and their attempts with it. */
  function cascade(endpointId: string): void {
    const deliveries = state.webhookDeliveries as Map<string, StoredDeliveryRow>;
    const attempts = state.webhookDeliveryAttempts as Map<string, { deliveryId: string }>;
    for (const delivery of [...deliveries.values()]) {
      if (delivery.endpointId !== endpointId) continue;
      deliveries.delete(delivery.id);
      for (const [id, attempt] of [...attempts]) if (attempt.deliveryId === delivery.id) attempts.delete(id);
    }
  }

  return {
    async create(endpoint) {
      if (rows.has(endpoint.id)) throw new DomainError('conflict', 'A webhook endpoint with this id exists.');
      return withoutSecrets(replace({ ...endpoint, events: [...endpoint.events] }));
    },
    async countEndpoints(customerId, instanceId) {
      const mine = [...rows.values()].filter((row) => row.customerId === customerId);
      const bound = new Map<string, number>();
      for (const row of mine) if (row.instanceId !== null) bound.set(row.instanceId, (bound.get(row.instanceId) ?? 0) + 1);
      return {
        total: mine.length,
        customerWide: mine.filter((row) => row.instanceId === null).length,
        boundToInstance: instanceId === null ? 0 : (bound.get(instanceId) ?? 0),
        mostBoundToOneInstance: Math.max(0, ...bound.values()),
      };
    },
    async findById(customerId, id) {
      const row = owned(customerId, id);
      return row === null ? null : withoutSecrets(row);
    },
    async findStored(customerId, id) {
      return owned(customerId, id);
    },
    async list(customerId, page, filter = {}) {
      const mine = [...rows.values()].filter(
        (row) => row.customerId === customerId && (filter.instanceId === undefined || row.instanceId === filter.instanceId),
      );
      const result = pageOf(mine, page);
      return { data: result.data.map(withoutSecrets), nextCursor: result.nextCursor };
    },
    async findMatching(customerId, event) {
      return [...rows.values()]
        .filter((row) => row.customerId === customerId && row.enabled && endpointMatches(row, event))
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map(withoutSecrets);
    },
    async update(customerId, id, patch, at) {
      const row = owned(customerId, id);
      if (row === null) return null;
      const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      return withoutSecrets(replace({ ...row, ...defined, updatedAt: at }));
    },
    async disable(customerId, id, reason, at) {
      const row = owned(customerId, id);
      if (row === null || !row.enabled) return null;
      return withoutSecrets(replace({ ...row, enabled: false, disabledReason: reason, updatedAt: at }));
    },
    async setSecrets(customerId, id, secrets, at) {
      const row = owned(customerId, id);
      if (row === null) return null;
      return withoutSecrets(replace({ ...row, ...secrets, updatedAt: at }));
    },
    async delete(customerId, id) {
      const row = owned(customerId, id);
      if (row === null) return null;
      rows.delete(id);
      cascade(id);
      return withoutSecrets(row);
    },
    async listAllSecrets(afterId, limit) {
      return [...rows.values()]
        .filter((row) => afterId === null || row.id > afterId)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .slice(0, limit);
    },
  };
}
