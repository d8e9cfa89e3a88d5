/*
 * The delivery worker's handler: one wake of one delivery. Postgres decides, the queue only wakes:
 *
 * 1. Claim the delivery (due, pending/retrying, no live claim), reading its endpoint in the same step. A
 *    duplicate job or a second worker finds it claimed and defers until the claim could have expired; a
 *    delivery not due yet defers until it is; a finished or deleted one is a no-op.
 * 2. An endpoint deleted or disabled meanwhile ends the delivery `failed` with a clear last_error, no request.
 * 3. Take a per-host slot. A full host puts the delivery on the host's wait list (atomically with the
 *    refusal) and the job defers WITHOUT spending an attempt: whoever frees a slot of that host gets the
 *    delivery's id back from the gate and wakes its job at once (no polling). Jobs made by the recorder and
 *    by retries carry the endpoint's host (`job.data.host`): such a job takes its slot BEFORE claiming, so
 *    a job that finds its host full costs one Redis call and no Postgres write. A job without the hint (the
 *    sweeper's) claims first, and gives the claim back when the host is full. The deferral itself is only
 *    the fallback for a lost wake (a holder crashed and its lease expired): `hostWaitMs`, 30 s by default.
 *    The sweeper leaves such a live, deferred job alone (it wakes only absent jobs).
 * 4. Send (signed with every live secret), release the slot, then in one transaction record the attempt
 *    and the retry policy's decision; a 410 also disables the endpoint (audited, actor `system`). A retry
 *    is woken after the commit with the delay Postgres now holds.
 *
 * If the worker dies after the claim, the claim expires (`claimLeaseMs`) and the sweeper re-drives it.
 *
 * A signing secret that cannot be opened (SECRETS_KEY does not match what sealed it) is not the receiver's
 * fault: no request, no attempt spent. The delivery keeps its status, says why in last_error and waits
 * `secretRetryMs`; the endpoint is reported once to `onSecretUnavailable` (the log) and to `secretHealth`
 * (`/readyz`), not as a thrown error per wake.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, JobHandler, JobOutcome, JobQueue, OutboundHttp, UnitOfWork } from '../../shared/index.js';
import type { HostGate, HostLease } from './host-gate.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import type { RetryPolicy } from './retry-policy.js';
import { SecretBoxError, type SecretBox, type SecretBoxErrorReason } from '../signing/secret-box.js';
import { finishDelivery, failWithoutAttempt, waitWithoutAttempt } from './finish-delivery.js';
import type { SigningSecretHealth } from './signing-secret-health.js';
import { gateHostOf } from './gate-host.js';
import { sendDeliveryAttempt } from './send-delivery-attempt.js';
import type { OnDeliveryReport } from './delivery-observer.js';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** How long a delivery waiting on a full host sleeps if no release wakes it first. */
export const DEFAULT_HOST_WAIT_MS = 30_000;
/** How long a delivery whose secret cannot be opened waits before it is looked at again. */
export const DEFAULT_SECRET_RETRY_MS = 300_000;

export const SECRET_UNAVAILABLE_ERROR =
  "Not sent: the server cannot open this endpoint's signing secret (its SECRETS_KEY does not match the key that " +
  'sealed it). No attempt was spent; the delivery is tried again every few minutes until the operator fixes the key. ' +
  'Rotating the endpoint secret also fixes it.';

/** What the log is told once per endpoint whose secret cannot be opened. */
export interface SecretUnavailable {
  readonly endpointId: string;
  readonly customerId: string;
  readonly keyId: string;
  readonly reason: SecretBoxErrorReason;
  readonly message: string;
}

export interface ProcessDeliveryDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
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
  /** The fallback wake of a delivery waiting on a full host, if no release wakes it first. Default 30 s. */
  readonly hostWaitMs?: number;
  /** How long a delivery waits when its endpoint's secret cannot be opened. Default 5 min. */
  readonly secretRetryMs?: number;
  /** Told which endpoints' secrets open and which fail (for `/readyz`). */
  readonly secretHealth?: SigningSecretHealth;
  /** Called once per endpoint (per process) whose secret cannot be opened: log it there. */
  readonly onSecretUnavailable?: (report: SecretUnavailable) => void;
  /** Told every committed outcome of an attempt, and deliveries failed without one (metrics). Must not throw. */
  readonly onReport?: OnDeliveryReport;
}

/** `host`: the endpoint's gate host when the job knows it (see the header), so the slot is taken first. */
export type ProcessDelivery = (deliveryId: string, hint?: { readonly host?: string | undefined }) => Promise<JobOutcome>;

export { gateHostOf } from './gate-host.js';

export function createProcessDelivery(deps: ProcessDeliveryDeps): ProcessDelivery {
  const { uow, clock, hostGate, retryPolicy } = deps;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const claimLeaseMs = deps.claimLeaseMs ?? timeoutMs * 2 + 30_000;
  const waitOnHost = { deferMs: deps.hostWaitMs ?? DEFAULT_HOST_WAIT_MS };
  const secretRetryMs = deps.secretRetryMs ?? DEFAULT_SECRET_RETRY_MS;
  const deliveries = uow.repos.webhookDeliveries;

  return async (deliveryId, hint) => {
    let lease: HostLease | null = null;
    if (hint?.host) {
      lease = await hostGate.tryAcquire(hint.host, deliveryId);
      if (lease === null) return waitOnHost;
    }
    const releaseLease = async () => {
      if (lease === null) return;
      const { host } = lease;
      const waiters = await hostGate.release(lease);
      lease = null;
      if (waiters.length > 0) await deps.deliveryQueue.enqueue(waiters.map((id) => ({ id, data: { host } })));
    };
    const now = clock.now();
    const token = randomUUID();
    const claim = await deliveries.claim(deliveryId, { now, until: new Date(now.getTime() + claimLeaseMs), token });
    if (!claim.claimed) {
      await releaseLease();
      return claim.retryAt === null ? undefined : { deferMs: Math.max(0, claim.retryAt.getTime() - now.getTime()) };
    }
    const { delivery, endpoint } = claim;
    if (endpoint === null || !endpoint.enabled) {
      await releaseLease();
      const why = endpoint === null ? 'the webhook endpoint was deleted' : `the webhook endpoint is disabled (${endpoint.disabledReason ?? 'manual'})`;
      await failWithoutAttempt(uow, clock, delivery, token, `Not sent: ${why}.`, deps.onReport);
      return undefined;
    }
    const host = gateHostOf(endpoint.url);
    // No hint, or the endpoint's URL changed host since the job was made: take the right slot now.
    if (lease === null || lease.host !== host) {
      await releaseLease();
      lease = await hostGate.tryAcquire(host, deliveryId);
    }
    if (lease === null) {
      await deliveries.release(deliveryId, token);
      return waitOnHost;
    }
    let sent;
    try {
      sent = await sendDeliveryAttempt({ ...deps, timeoutMs }, delivery, endpoint);
    } catch (error) {
      await releaseLease();
      if (!(error instanceof SecretBoxError)) {
        await deliveries.release(deliveryId, token);
        throw error;
      }
      if (deps.secretHealth?.failed(endpoint.id) ?? true) {
        deps.onSecretUnavailable?.({
          endpointId: endpoint.id,
          customerId: endpoint.customerId,
          keyId: endpoint.secret.keyId,
          reason: error.reason,
          message: error.message,
        });
      }
      const retryAt = new Date(clock.now().getTime() + secretRetryMs);
      await waitWithoutAttempt({ uow, clock, deliveryQueue: deps.deliveryQueue }, { delivery, token, retryAt, lastError: SECRET_UNAVAILABLE_ERROR, host });
      return undefined;
    } finally {
      await releaseLease();
    }
    deps.secretHealth?.opened(endpoint.id);
    const attemptNumber = delivery.attemptCount + 1;
    const decision = retryPolicy.classifyAttempt({ attempt: attemptNumber, outcome: sent.outcome });
    await finishDelivery({ uow, clock, deliveryQueue: deps.deliveryQueue, onReport: deps.onReport }, { delivery, token, sent, attemptNumber, decision, host });
    return undefined;
  };
}

/** The queue handler: the job id is the delivery id. */
export const deliveryJobHandler =
  (processDelivery: ProcessDelivery): JobHandler =>
  (job) =>
    processDelivery(job.id, { host: job.data.host });
