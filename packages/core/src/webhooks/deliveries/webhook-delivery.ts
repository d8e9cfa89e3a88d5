import type { EventName } from '../../events/index.js';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'retrying', 'success', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * One event for one endpoint. `payload` is the exact serialised envelope: stored once, signed and sent
 * byte for byte on every attempt and replay. `attemptCount` counts the attempts of the current series
 * (a replay starts a new series at 0; earlier attempts stay in the attempt history).
 */
export interface WebhookDelivery {
  readonly id: string;
  readonly customerId: string;
  readonly endpointId: string;
  /** The event's instance, or null for an event of no instance. */
  readonly instanceId: string | null;
  readonly event: EventName;
  readonly eventId: string;
  readonly payload: string;
  readonly status: WebhookDeliveryStatus;
  readonly attemptCount: number;
  /** When the next attempt is due; null once the delivery succeeded or failed. */
  readonly nextAttemptAt: Date | null;
  readonly lastResponseStatus: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /**
   * The W3C trace context of the work that recorded its event: every attempt joins that trace, also when
   * the sweeper re-drives it. Written with the row; lists and reads need not return it.
   */
  readonly traceparent?: string | null;
}

/** A delivery as lists show it: without its payload, which can be large and lists never return. */
export type WebhookDeliverySummary = Omit<WebhookDelivery, 'payload'>;

/** One HTTP attempt of a delivery. */
export interface WebhookDeliveryAttempt {
  readonly id: string;
  readonly deliveryId: string;
  readonly customerId: string;
  /** 1-based within its series (see WebhookDelivery.attemptCount). */
  readonly attemptNumber: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  /** The receiver's status, or null when no response came (timeout, network error, refused URL). */
  readonly responseStatus: number | null;
  /** Why no usable response came, safe to show (no URL, no secret); null for a response. */
  readonly error: string | null;
  /** At most the first KiB of the response body as text (NUL characters removed), or null. */
  readonly responseExcerpt: string | null;
}
