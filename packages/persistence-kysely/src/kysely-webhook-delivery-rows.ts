import type { EventName, WebhookDelivery, WebhookDeliveryAttempt, WebhookDeliveryStatus } from '@whatisup/core';
import type { Selectable } from 'kysely';
import type { WebhookDeliveriesTable, WebhookDeliveryAttemptsTable } from './database.js';

/** The public record of a delivery row: the claim columns never leave the repository. */
export function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    customerId: row.customer_id,
    endpointId: row.endpoint_id,
    instanceId: row.instance_id,
    event: row.event as EventName,
    eventId: row.event_id,
    payload: row.payload,
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
