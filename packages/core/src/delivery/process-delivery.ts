/*
 * The delivery worker's handler: one wake of one delivery. Postgres decides, the queue only wakes:
 *
 * 1. Claim the delivery (due, pending/retrying, no live claim). A duplicate job or a second worker finds
 *    it claimed and defers until the claim could have expired; a delivery not due yet defers until it is;
 *    a finished or deleted one is a no-op.
 * 2. An endpoint deleted or disabled meanwhile ends the delivery `failed` with a clear last_error, no request.
 * 3. Take a per-host slot. A full host releases the claim and defers WITHOUT spending an attempt.
 * 4. Send (signed with every live secret), release the slot, then in one transaction record the attempt
 *    and the retry policy's decision; a 410 also disables the endpoint (audited, actor `system`). A retry
 *    is woken after the commit with the delay Postgres now holds.
 *
 * If the worker dies after the claim, the claim expires (`claimLeaseMs`) and the sweeper re-drives it.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { JobHandler, JobOutcome, JobQueue } from '../ports/job-queue.js';
import type { HostGate } from '../ports/host-gate.js';
import type { OutboundHttp } from '../ports/outbound-http.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { RetryPolicy } from '../webhooks/retry-policy.js';
import type { SecretBox } from '../webhooks/secret-box.js';
import { finishDelivery, failWithoutAttempt } from './finish-delivery.js';
import { sendDeliveryAttempt } from './send-delivery-attempt.js';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const DEFAULT_HOST_FULL_DEFER_MS = 1_000;

export interface ProcessDeliveryDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly outbound: Pick<OutboundHttp, 'send'>;
  readonly hostGate: HostGate;
  readonly secretBox: SecretBox;
  readonly retryPolicy: RetryPolicy;
  /** Where retries are woken (the same queue this handler consumes). */
  readonly deliveryQueue: Pick<JobQueue, 'enqueue'>;
  /** The whole-request deadline (WEBHOOK_TIMEOUT_MS). Default 10 s. */
  readonly timeoutMs?: number;
  /** How long a claim lasts; must outlive an attempt. Default twice the timeout plus 30 s. */
  readonly claimLeaseMs?: number;
  /** How long to wait when the host is full. Default 1 s. */
  readonly hostFullDeferMs?: number;
}

export type ProcessDelivery = (deliveryId: string) => Promise<JobOutcome>;

/** Normalised for the host gate: lower-case name, port only when not the scheme's default. */
export const gateHostOf = (url: string): string => new URL(url).host;

export function createProcessDelivery(deps: ProcessDeliveryDeps): ProcessDelivery {
  const { uow, clock, hostGate, retryPolicy } = deps;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const claimLeaseMs = deps.claimLeaseMs ?? timeoutMs * 2 + 30_000;
  const hostFullDeferMs = deps.hostFullDeferMs ?? DEFAULT_HOST_FULL_DEFER_MS;
  const deliveries = uow.repos.webhookDeliveries;

  return async (deliveryId) => {
    const now = clock.now();
    const token = randomUUID();
    const claim = await deliveries.claim(deliveryId, { now, until: new Date(now.getTime() + claimLeaseMs), token });
    if (!claim.claimed) {
      return claim.retryAt === null ? undefined : { deferMs: Math.max(0, claim.retryAt.getTime() - now.getTime()) };
    }
    const { delivery } = claim;
    const endpoint = await uow.repos.webhookEndpoints.findStored(delivery.customerId, delivery.endpointId);
    if (endpoint === null || !endpoint.enabled) {
      const why = endpoint === null ? 'the webhook endpoint was deleted' : `the webhook endpoint is disabled (${endpoint.disabledReason ?? 'manual'})`;
      await failWithoutAttempt(uow, clock, delivery, token, `Not sent: ${why}.`);
      return undefined;
    }
    const lease = await hostGate.tryAcquire(gateHostOf(endpoint.url));
    if (lease === null) {
      await deliveries.release(deliveryId, token);
      return { deferMs: hostFullDeferMs };
    }
    let sent;
    try {
      sent = await sendDeliveryAttempt({ ...deps, timeoutMs }, delivery, endpoint);
    } catch (error) {
      await deliveries.release(deliveryId, token);
      throw error;
    } finally {
      await hostGate.release(lease);
    }
    const attemptNumber = delivery.attemptCount + 1;
    const decision = retryPolicy.classifyAttempt({ attempt: attemptNumber, outcome: sent.outcome });
    await finishDelivery({ uow, clock, deliveryQueue: deps.deliveryQueue }, { delivery, token, sent, attemptNumber, decision });
    return undefined;
  };
}

/** The queue handler: the job id is the delivery id. */
export const deliveryJobHandler =
  (processDelivery: ProcessDelivery): JobHandler =>
  (job) =>
    processDelivery(job.id);
