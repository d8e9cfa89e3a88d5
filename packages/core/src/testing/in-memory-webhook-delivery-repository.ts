import {
  endpointMatches,
  surplusDeliveryId,
  type StoredWebhookEndpoint,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookDeliveryRepository,
} from '../webhooks/index.js';
import type { EventFanOut, FannedOutDelivery } from '../events/index.js';
import { DomainError } from '../shared/index.js';
import { storeAuditEvent } from './in-memory-audit-log.js';
import { pageOf, type InMemoryState } from './in-memory-state.js';

/** A delivery row with its claim columns, which never leave the repository. */
export interface StoredDeliveryRow extends WebhookDelivery {
  readonly claimedUntil: Date | null;
  readonly claimToken: string | null;
}

const publicOf = ({ claimedUntil: _until, claimToken: _token, ...delivery }: StoredDeliveryRow): WebhookDelivery =>
  delivery;

const isLiveClaim = (row: StoredDeliveryRow, now: Date): boolean =>
  row.claimedUntil !== null && row.claimedUntil.getTime() > now.getTime();

const isClaimable = (row: StoredDeliveryRow, now: Date): boolean =>
  (row.status === 'pending' || row.status === 'retrying') &&
  row.nextAttemptAt !== null &&
  row.nextAttemptAt.getTime() <= now.getTime() &&
  !isLiveClaim(row, now);

/**
 * Writes one delivery of the event per matching enabled endpoint, synchronously: other in-memory writes
 * (a message marked sent) fan an event out with it and stay atomic.
 */
export function fanOut(state: InMemoryState, event: EventFanOut): FannedOutDelivery[] {
  const rows = state.webhookDeliveries as Map<string, StoredDeliveryRow>;
  const endpoints = state.webhookEndpoints as Map<string, StoredWebhookEndpoint>;
  const matching = [...endpoints.values()]
    .filter((endpoint) => endpoint.customerId === event.customerId && endpoint.enabled && endpointMatches(endpoint, { name: event.event, instanceId: event.instanceId }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const deliveries = matching.map(
    (endpoint, i): StoredDeliveryRow => ({
      id: event.ids[i] ?? surplusDeliveryId(event.at, event.eventId, endpoint.id),
      customerId: event.customerId,
      endpointId: endpoint.id,
      instanceId: event.instanceId,
      event: event.event,
      eventId: event.eventId,
      payload: event.payload,
      status: 'pending',
      attemptCount: 0,
      nextAttemptAt: event.at,
      lastResponseStatus: null,
      lastError: null,
      deliveredAt: null,
      createdAt: event.at,
      updatedAt: event.at,
      traceparent: event.traceparent,
      claimedUntil: null,
      claimToken: null,
    }),
  );
  for (const d of deliveries) {
    const taken = [...rows.values()].some((row) => row.eventId === d.eventId && row.endpointId === d.endpointId);
    if (rows.has(d.id) || taken) throw new DomainError('conflict', 'This delivery exists already.');
  }
  for (const d of deliveries) rows.set(d.id, d);
  return deliveries.map((delivery, i) => ({ deliveryId: delivery.id, endpointId: delivery.endpointId, url: matching[i]!.url }));
}

export function createInMemoryWebhookDeliveryRepository(state: InMemoryState): WebhookDeliveryRepository {
  const rows = state.webhookDeliveries as Map<string, StoredDeliveryRow>;
  const attempts = state.webhookDeliveryAttempts as Map<string, WebhookDeliveryAttempt>;
  const endpoints = state.webhookEndpoints as Map<string, StoredWebhookEndpoint>;
  const owned = (customerId: string, id: string): StoredDeliveryRow | null => {
    const row = rows.get(id);
    return row !== undefined && row.customerId === customerId ? row : null;
  };
  const put = (row: StoredDeliveryRow): WebhookDelivery => {
    rows.set(row.id, row);
    return publicOf(row);
  };
  const replayed = (row: StoredDeliveryRow, at: Date): WebhookDelivery =>
    put({
      ...row,
      status: 'pending',
      attemptCount: 0,
      nextAttemptAt: at,
      lastError: null,
      lastResponseStatus: null,
      deliveredAt: null,
      updatedAt: at,
    });

  return {
    async createMany(deliveries, audit) {
      for (const d of deliveries) {
        const taken = [...rows.values()].some((row) => row.eventId === d.eventId && row.endpointId === d.endpointId);
        if (rows.has(d.id) || taken) throw new DomainError('conflict', 'This delivery exists already.');
      }
      for (const d of deliveries) put({ ...d, claimedUntil: null, claimToken: null });
      if (audit !== undefined) storeAuditEvent(state, audit, audit.occurredAt);
    },
    async createForMatchingEndpoints(event) {
      return fanOut(state, event);
    },
    async findById(customerId, id) {
      const row = owned(customerId, id);
      return row === null ? null : publicOf(row);
    },
    async list(customerId, page, filter = {}) {
      const mine = [...rows.values()].filter(
        (row) =>
          row.customerId === customerId &&
          (filter.status === undefined || row.status === filter.status) &&
          (filter.event === undefined || row.event === filter.event) &&
          (filter.instanceId === undefined || row.instanceId === filter.instanceId) &&
          (filter.endpointId === undefined || row.endpointId === filter.endpointId),
      );
      const result = pageOf(mine, page);
      return { data: result.data.map(publicOf), nextCursor: result.nextCursor };
    },
    async listAttempts(customerId, deliveryId) {
      return [...attempts.values()]
        .filter((a) => a.customerId === customerId && a.deliveryId === deliveryId)
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    },
    async claim(id, { now, until, token }) {
      const row = rows.get(id);
      if (row === undefined || row.status === 'success' || row.status === 'failed') return { claimed: false, retryAt: null };
      if (!isClaimable(row, now)) {
        const retryAt = isLiveClaim(row, now) ? row.claimedUntil : row.nextAttemptAt;
        return { claimed: false, retryAt };
      }
      const endpoint = endpoints.get(row.endpointId);
      return {
        claimed: true,
        delivery: put({ ...row, claimedUntil: until, claimToken: token }),
        endpoint: endpoint !== undefined && endpoint.customerId === row.customerId ? endpoint : null,
      };
    },
    async release(id, token) {
      const row = rows.get(id);
      if (row?.claimToken === token) put({ ...row, claimedUntil: null, claimToken: null });
    },
    async complete(id, token, { at, ...completion }) {
      const row = rows.get(id);
      if (row === undefined || row.claimToken !== token) return null;
      return put({ ...row, ...completion, updatedAt: at, claimedUntil: null, claimToken: null });
    },
    async appendAttempt(attempt) {
      if (!rows.has(attempt.deliveryId)) throw new DomainError('not_found', 'No delivery for this attempt.');
      attempts.set(attempt.id, { ...attempt });
    },
    async recordAttempt(attempt, token, completion) {
      await this.appendAttempt(attempt);
      return (await this.complete(attempt.deliveryId, token, completion)) !== null;
    },
    async listDue(now, limit, after = null) {
      const afterDue = (row: { id: string; nextAttemptAt: Date | null }) =>
        after === null ||
        row.nextAttemptAt!.getTime() > after.nextAttemptAt.getTime() ||
        (row.nextAttemptAt!.getTime() === after.nextAttemptAt.getTime() && row.id > after.id);
      return [...rows.values()]
        .filter((row) => isClaimable(row, now) && afterDue(row))
        .sort((a, b) => a.nextAttemptAt!.getTime() - b.nextAttemptAt!.getTime() || (a.id < b.id ? -1 : 1))
        .slice(0, limit)
        .map((row) => ({ id: row.id, nextAttemptAt: row.nextAttemptAt!, traceparent: row.traceparent ?? null }));
    },
    async backlog(now) {
      const waiting = [...rows.values()].filter((row) => row.status === 'pending' || row.status === 'retrying');
      const due = waiting.filter((row) => row.nextAttemptAt !== null && row.nextAttemptAt.getTime() <= now.getTime());
      const oldest = Math.min(...due.map((row) => row.nextAttemptAt!.getTime()));
      return { waiting: waiting.length, due: due.length, oldestDueAt: due.length === 0 ? null : new Date(oldest) };
    },
    async replay(customerId, id, at) {
      const row = owned(customerId, id);
      if (row === null || isLiveClaim(row, at)) return null;
      return replayed(row, at);
    },
    async replayFailed(customerId, endpointId, since, at) {
      const failed = [...rows.values()].filter(
        (row) =>
          row.customerId === customerId &&
          row.endpointId === endpointId &&
          row.status === 'failed' &&
          row.createdAt.getTime() >= since.getTime(),
      );
      return failed.sort((a, b) => (a.id < b.id ? -1 : 1)).map((row) => replayed(row, at).id);
    },
    async prune({ successBefore, failedBefore }) {
      const counts = { success: 0, failed: 0 };
      for (const row of [...rows.values()]) {
        const cutoff = row.status === 'success' ? successBefore : row.status === 'failed' ? failedBefore : null;
        if (cutoff === null || row.updatedAt.getTime() >= cutoff.getTime()) continue;
        rows.delete(row.id);
        for (const [attemptId, a] of [...attempts]) if (a.deliveryId === row.id) attempts.delete(attemptId);
        counts[row.status as 'success' | 'failed'] += 1;
      }
      return counts;
    },
  };
}
