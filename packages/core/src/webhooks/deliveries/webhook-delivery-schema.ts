/*
 * Webhook deliveries as JSON. Lists show the delivery without its payload (pages stay small); one
 * delivery shows it once, as `raw_payload`: the exact string that was signed and sent (and is re-sent on
 * replay). A parsed object would not do: re-serialising it in another language need not give the same
 * bytes, so a consumer could not re-check a signature against it; JSON.parse gives the object anyway.
 * Attempts are oldest first across every series. The HTTP edge validates and documents with these schemas.
 */
import * as v from 'valibot';
import { EVENT_NAMES } from '../../events/index.js';
import { NullableTimestamp, Timestamp, idSchema, timestampInput } from '../../shared/index.js';
import type { WebhookDeliveryWithAttempts } from './get-webhook-delivery.js';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryAttempt, type WebhookDeliverySummary } from './webhook-delivery.js';

const OptionalId = (description: string) =>
  v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description(description)));

/** The filters of the deliveries list; the HTTP edge adds its page query (`limit`, `cursor`). */
export const webhookDeliveryFilterEntries = {
  status: v.optional(v.pipe(v.picklist(WEBHOOK_DELIVERY_STATUSES), v.description('Only deliveries in this state.'))),
  event: v.optional(v.pipe(v.picklist(EVENT_NAMES), v.description('Only deliveries of this event.'))),
  instance_id: OptionalId('Only deliveries of events of this instance.'),
  endpoint_id: OptionalId('Only deliveries to this endpoint.'),
};

export const WebhookDeliveryJson = v.object({
  id: idSchema('dlv', 'Delivery id; also the queue job id.'),
  endpoint_id: v.string(),
  instance_id: v.pipe(v.nullable(v.string()), v.description('The event’s instance; null for an event of no instance.')),
  event: v.picklist(EVENT_NAMES),
  event_id: v.pipe(v.string(), v.description('Shared by every delivery of one event: the consumer’s dedupe key.')),
  status: v.pipe(
    v.picklist(WEBHOOK_DELIVERY_STATUSES),
    v.description('`pending` → (`retrying`) → `success`, or `failed` after the last attempt (replayable).'),
  ),
  attempt_count: v.pipe(v.number(), v.description('Attempts in the current series (a replay restarts at 0).')),
  next_attempt_at: v.pipe(NullableTimestamp, v.description('When the next attempt is due; null once finished.')),
  last_response_status: v.nullable(v.number()),
  last_error: v.nullable(v.string()),
  delivered_at: NullableTimestamp,
  created_at: Timestamp,
  updated_at: Timestamp,
});

export type WebhookDeliveryJson = v.InferInput<typeof WebhookDeliveryJson>;

export const WebhookDeliveryAttemptJson = v.object({
  id: idSchema('att', 'Attempt id.'),
  attempt_number: v.pipe(v.number(), v.description('1-based within its series; a replay starts a new series.')),
  started_at: Timestamp,
  duration_ms: v.number(),
  response_status: v.pipe(v.nullable(v.number()), v.description('Null when no response came (see `error`).')),
  error: v.pipe(v.nullable(v.string()), v.description('Why no usable response came (timeout, refused address, ...).')),
  response_excerpt: v.pipe(v.nullable(v.string()), v.description('At most the first KiB of the response body.')),
});

export const WebhookDeliveryDetailJson = v.object({
  ...WebhookDeliveryJson.entries,
  raw_payload: v.pipe(
    v.string(),
    v.description('The event envelope as the exact JSON text that was signed and sent, and that a replay re-sends.'),
  ),
  attempts: v.pipe(v.array(WebhookDeliveryAttemptJson), v.description('Oldest first, every series.')),
});

const SINCE_MESSAGE = 'Expected an ISO-8601 time with a zone, e.g. 2026-05-01T12:00:00Z.';

export const RecoverWebhookDeliveriesBody = v.strictObject({
  endpoint_id: v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description('The endpoint whose failed deliveries to re-send.')),
  since: v.pipe(
    timestampInput(SINCE_MESSAGE),
    v.description('Failed deliveries created at or after this time are re-sent; not in the future.'),
  ),
});

export const RecoveredJson = v.object({ count: v.pipe(v.number(), v.description('How many deliveries were re-queued.')) });

/** The one domain → JSON mapping of a delivery (without its payload). */
export function toWebhookDeliveryJson(delivery: WebhookDeliverySummary): WebhookDeliveryJson {
  return {
    id: delivery.id,
    endpoint_id: delivery.endpointId,
    instance_id: delivery.instanceId,
    event: delivery.event,
    event_id: delivery.eventId,
    status: delivery.status,
    attempt_count: delivery.attemptCount,
    next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
    last_response_status: delivery.lastResponseStatus,
    last_error: delivery.lastError,
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
    created_at: delivery.createdAt.toISOString(),
    updated_at: delivery.updatedAt.toISOString(),
  };
}

function toAttemptJson(attempt: WebhookDeliveryAttempt): v.InferInput<typeof WebhookDeliveryAttemptJson> {
  return {
    id: attempt.id,
    attempt_number: attempt.attemptNumber,
    started_at: attempt.startedAt.toISOString(),
    duration_ms: attempt.durationMs,
    response_status: attempt.responseStatus,
    error: attempt.error,
    response_excerpt: attempt.responseExcerpt,
  };
}

/** One delivery with its payload (as sent) and every attempt. */
export function toWebhookDeliveryDetailJson({
  delivery,
  attempts,
}: WebhookDeliveryWithAttempts): v.InferInput<typeof WebhookDeliveryDetailJson> {
  return {
    ...toWebhookDeliveryJson(delivery),
    raw_payload: delivery.payload,
    attempts: attempts.map(toAttemptJson),
  };
}
