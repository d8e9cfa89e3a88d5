import type {
  EventName,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryStatus,
  WebhookDeliverySummary,
} from '@whatisup/core';
import type { Selectable } from 'kysely';
import type { WebhookDeliveriesTable, WebhookDeliveryAttemptsTable } from './database.js';

/** What a list reads: every column of the public record but the payload. */
export const DELIVERY_SUMMARY_COLUMNS = [
  'id',
  'customer_id',
  'endpoint_id',
  'instance_id',
  'event',
  'event_id',
  'status',
  'attempt_count',
  'next_attempt_at',
  'last_response_status',
  'last_error',
  'delivered_at',
  'created_at',
  'updated_at',
] as const;

type SummaryRow = Pick<Selectable<WebhookDeliveriesTable>, (typeof DELIVERY_SUMMARY_COLUMNS)[number]>;

/** The public record of a delivery row: the claim columns never leave the repository. */
export function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return { ...toDeliverySummary(row), payload: row.payload };
}

export function toDeliverySummary(row: SummaryRow): WebhookDeliverySummary {
  return {
    id: row.id,
    customerId: row.customer_id,
    endpointId: row.endpoint_id,
    instanceId: row.instance_id,
    event: row.event as EventName,
    eventId: row.event_id,
    status: row.status as WebhookDeliveryStatus,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.next_attempt_at,
    lastResponseStatus: row.last_response_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toAttempt(row: Selectable<WebhookDeliveryAttemptsTable>): WebhookDeliveryAttempt {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    customerId: row.customer_id,
    attemptNumber: row.attempt_number,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    responseStatus: row.response_status,
    error: row.error,
    responseExcerpt: row.response_excerpt,
  };
}
