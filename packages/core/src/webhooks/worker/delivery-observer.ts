/*
 * What the delivery worker tells an observer (metrics) about each delivery it moves. Core knows no metrics
 * library: the composition root turns these reports into counters and histograms. Reports carry only
 * bounded facts (an outcome, an HTTP status, counts and durations) for labels, and, for the log only, which
 * delivery it was (`delivery`): never use those ids as metric labels.
 */
import type { WebhookDelivery } from '../deliveries/webhook-delivery.js';

/** `success`: a 2xx; `retry`: another attempt is scheduled; `failed`: no more attempts; `disabled`: a 410 disabled the endpoint. */
export type DeliveryOutcome = 'success' | 'retry' | 'failed' | 'disabled';

export interface DeliveryReport {
  readonly outcome: DeliveryOutcome;
  /** The receiver's HTTP status, or null when no response came (timeout, refused URL) or nothing was sent. */
  readonly responseStatus: number | null;
  /** Attempts spent in the delivery's current series, this one included. */
  readonly attempts: number;
  /** True when the delivery will not be tried again (success, failed, disabled). */
  readonly final: boolean;
  /** Milliseconds from when the event was recorded (its `occurred_at`) to this outcome. */
  readonly sinceEventMs: number;
  /** Which delivery (for log lines, never a metric label). */
  readonly delivery?: Pick<WebhookDelivery, 'id' | 'customerId' | 'endpointId' | 'instanceId' | 'event'>;
  /** Why the attempt got no usable response (safe to show: no URL, no secret); null for a response. */
  readonly error?: string | null;
}

/** The ids of a delivery a report names. */
export const deliveryRef = ({ id, customerId, endpointId, instanceId, event }: WebhookDelivery): DeliveryReport['delivery'] => ({
  id,
  customerId,
  endpointId,
  instanceId,
  event,
});

/** Called after the outcome committed; must not throw (a throwing observer is ignored). */
export type OnDeliveryReport = (report: DeliveryReport) => void;

/** Calls `observer` and swallows what it throws: metrics must never fail a delivery. */
export function reportDelivery(observer: OnDeliveryReport | undefined, report: DeliveryReport): void {
  try {
    observer?.(report);
  } catch {
    // An observer is bookkeeping; the delivery's outcome is already committed.
  }
}
