/*
 * Records what an attempt did, in one transaction: the attempt row, the delivery's new state (only if this
 * worker still holds the claim), and for a 410 the endpoint disabled and audited. A retry is woken after
 * the commit; if that enqueue is lost, the sweeper finds the delivery due.
 */
import { newId, type Clock, type JobQueue, type UnitOfWork } from '../../shared/index.js';
import type { WebhookDelivery } from '../deliveries/webhook-delivery.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import type { DeliveryCompletion } from '../deliveries/webhook-delivery-repository.js';
import type { RetryDecision } from './retry-policy.js';
import type { SentAttempt } from './send-delivery-attempt.js';
import { deliveryRef, reportDelivery, type OnDeliveryReport } from './delivery-observer.js';

export interface FinishDeliveryDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
  readonly deliveryQueue: Pick<JobQueue, 'enqueue'>;
  /** Told each committed outcome (metrics). */
  readonly onReport?: OnDeliveryReport | undefined;
}

export interface FinishedAttempt {
  readonly delivery: WebhookDelivery;
  readonly token: string;
  readonly sent: SentAttempt;
  readonly attemptNumber: number;
  readonly decision: RetryDecision;
  /** The endpoint's gate host, carried by the retry's job so it can take its slot before claiming. */
  readonly host?: string;
}

function lastErrorOf(sent: SentAttempt, decision: RetryDecision): string | null {
  if (decision.kind === 'success') return null;
  if (decision.kind === 'disable') return 'The receiver answered 410 Gone: the endpoint was disabled.';
  return sent.error ?? `The receiver answered HTTP ${sent.responseStatus ?? 'without a status'}.`;
}

function completionOf({ sent, attemptNumber, decision }: FinishedAttempt, at: Date): DeliveryCompletion {
  const status = decision.kind === 'success' ? 'success' : decision.kind === 'retry' ? 'retrying' : 'failed';
  return {
    status,
    attemptCount: attemptNumber,
    nextAttemptAt: decision.kind === 'retry' ? decision.at : null,
    lastResponseStatus: sent.responseStatus,
    lastError: lastErrorOf(sent, decision),
    deliveredAt: decision.kind === 'success' ? at : null,
    at,
  };
}

const OUTCOMES = { success: 'success', retry: 'retry', failed: 'failed', disable: 'disabled' } as const;

export async function finishDelivery({ uow, clock, deliveryQueue, onReport }: FinishDeliveryDeps, finished: FinishedAttempt): Promise<void> {
  const { delivery, token, sent, decision } = finished;
  const now = clock.now();
  const committed = await uow.transaction(async (repos, tx) => {
    await repos.webhookDeliveries.appendAttempt({
      id: newId('attempt', sent.startedAt.getTime()),
      deliveryId: delivery.id,
      customerId: delivery.customerId,
      attemptNumber: finished.attemptNumber,
      startedAt: sent.startedAt,
      durationMs: sent.durationMs,
      responseStatus: sent.responseStatus,
      error: sent.error,
      responseExcerpt: sent.responseExcerpt,
    });
    // Null: the claim expired and another worker took over; the attempt happened, its outcome is theirs.
    const completed = await repos.webhookDeliveries.complete(delivery.id, token, completionOf(finished, now));
    if (completed === null) return false;
    if (decision.kind === 'retry') {
      const delayMs = Math.max(0, decision.at.getTime() - now.getTime());
      const data = finished.host === undefined ? undefined : { host: finished.host };
      tx.afterCommit(() => deliveryQueue.enqueue([{ id: delivery.id, delayMs, ...(data ? { data } : {}) }]));
    }
    if (decision.kind !== 'disable') return true;
    const disabled = await repos.webhookEndpoints.disable(delivery.customerId, delivery.endpointId, decision.reason, now);
    if (disabled === null) return true;
    await repos.audit.append({
      customerId: delivery.customerId,
      actor: { type: 'system' },
      action: 'webhook_endpoint.disabled',
      targetType: 'webhook_endpoint',
      targetId: delivery.endpointId,
      instanceId: disabled.instanceId,
      data: { reason: decision.reason, response_status: sent.responseStatus, delivery_id: delivery.id },
      occurredAt: now,
    });
    return true;
  });
  if (!committed) return;
  reportDelivery(onReport, {
    outcome: OUTCOMES[decision.kind],
    responseStatus: sent.responseStatus,
    attempts: finished.attemptNumber,
    final: decision.kind !== 'retry',
    sinceEventMs: now.getTime() - delivery.createdAt.getTime(),
    delivery: deliveryRef(delivery),
    error: sent.error,
  });
}

/**
 * Puts a claimed delivery back to wait until `retryAt` without any request or attempt spent (the problem is
 * ours, not the receiver's), saying why in last_error, and wakes it then.
 */
export async function waitWithoutAttempt(
  { uow, clock, deliveryQueue }: FinishDeliveryDeps,
  { delivery, token, retryAt, lastError, host }: { delivery: WebhookDelivery; token: string; retryAt: Date; lastError: string; host: string },
): Promise<void> {
  const now = clock.now();
  await uow.transaction(async (repos, tx) => {
    const completed = await repos.webhookDeliveries.complete(delivery.id, token, {
      status: delivery.status,
      attemptCount: delivery.attemptCount,
      nextAttemptAt: retryAt,
      lastResponseStatus: delivery.lastResponseStatus,
      lastError,
      deliveredAt: null,
      at: now,
    });
    if (completed === null) return;
    const delayMs = Math.max(0, retryAt.getTime() - now.getTime());
    tx.afterCommit(() => deliveryQueue.enqueue([{ id: delivery.id, delayMs, data: { host } }]));
  });
}

/** Ends a claimed delivery as failed without any request (its endpoint is gone or disabled). */
export async function failWithoutAttempt(
  uow: UnitOfWork<WebhookRepositories>,
  clock: Clock,
  delivery: WebhookDelivery,
  token: string,
  lastError: string,
  onReport?: OnDeliveryReport,
): Promise<void> {
  const at = clock.now();
  const completed = await uow.repos.webhookDeliveries.complete(delivery.id, token, {
    status: 'failed',
    attemptCount: delivery.attemptCount,
    nextAttemptAt: null,
    lastResponseStatus: delivery.lastResponseStatus,
    lastError,
    deliveredAt: null,
    at,
  });
  if (completed === null) return;
  reportDelivery(onReport, {
    outcome: 'failed',
    responseStatus: null,
    attempts: delivery.attemptCount,
    final: true,
    sinceEventMs: at.getTime() - delivery.createdAt.getTime(),
    delivery: deliveryRef(delivery),
    error: lastError,
  });
}
