/*
 * The real EventRecorder, a transactional outbox. Inside the caller's transaction it
 * builds the envelope once (one event_id for every endpoint), serialises it once, and inserts one delivery
 * per matching enabled endpoint with that exact body, due at once. After the commit it publishes the event
 * to the in-process bus (SSE), whether or not an endpoint matched, and wakes each delivery on the queue
 * (job id = delivery id). If the process dies between the commit and the enqueue, or Redis loses the
 * jobs, the deliveries are still in Postgres, due, and the sweeper re-enqueues them.
 *
 * Matching and inserting are one repository call (one statement on Postgres): every round trip inside the
 * caller's transaction costs the busy server CPU. The delivery ids are minted here, before anyone knows how
 * many endpoints match, so the recorder mints as many as the fan-out limits let match; the repository uses
 * what it needs and mints more itself in the rare case a customer has more (limits lowered since).
 */
import { newId, type Clock, type JobQueue, type TransactionContext, type Tracing } from '../../shared/index.js';
import type { WebhookDelivery } from './webhook-delivery.js';
import type { DeliveryAuditEvent } from './webhook-delivery-repository.js';
import type { WebhookEndpoint } from '../endpoints/webhook-endpoint.js';
import { DEFAULT_WEBHOOK_ENDPOINT_LIMITS, type WebhookEndpointLimits } from '../endpoints/endpoint-limits.js';
import { gateHostOf } from '../worker/gate-host.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import { buildEnvelope } from './build-envelope.js';
import { serializeEnvelope } from './serialize-envelope.js';
import type { EventBus, DomainEvent, EventEnvelope, EventPreparer, EventRecorder, PreparedEvent } from '../../events/index.js';

/**
 * An event ready to be written by whichever statement carries it: the envelope built and serialised once, and
 * `ids` delivery ids drawn at one time. Both the real recorder and the in-memory stand-in prepare with it.
 */
export function prepareEvent(
  event: DomainEvent,
  { clock, ids, traceparent }: { readonly clock: Clock; readonly ids: number; readonly traceparent: string | null },
): PreparedEvent {
  const at = clock.now();
  const envelope = buildEnvelope(event, { clock });
  const drawn: string[] = [];
  for (let i = 0; i < ids; i += 1) drawn.push(newId('delivery', at.getTime()));
  const fanOut = {
    customerId: event.customerId,
    instanceId: event.instanceId,
    event: event.name,
    eventId: envelope.event_id,
    payload: serializeEnvelope(envelope),
    at,
    traceparent,
    ids: drawn,
  };
  return { fanOut, envelope };
}

export interface EventRecorderDeps {
  readonly clock: Clock;
  /** The webhook delivery queue: one job per delivery id. */
  readonly deliveryQueue: Pick<JobQueue, 'enqueue'>;
  readonly bus: EventBus;
  /** The active trace context is stored with each delivery, so a re-driven attempt still joins its trace. */
  readonly tracing?: Pick<Tracing, 'activeTraceparent'>;
  /**
   * The fan-out limits endpoint creation enforces: at most min(per customer, per instance) endpoints can
   * match one event, and that many delivery ids are minted per event. Default: the core's defaults.
   */
  readonly endpointLimits?: WebhookEndpointLimits | undefined;
  /**
   * Told when `recordForEndpoint`'s enqueue failed (outside a transaction, so no unit of work reports it);
   * the caller's result is unaffected, as with an after-commit effect: the sweeper re-drives the delivery.
   */
  readonly onEnqueueError?: ((error: unknown) => void) | undefined;
}

export interface RecordedForEndpoint {
  readonly envelope: EventEnvelope;
  readonly deliveryId: string;
}

export interface WebhookEventRecorder extends EventRecorder<WebhookRepositories>, EventPreparer {
  /**
   * Records an event for one endpoint only, whatever it subscribes to (the endpoint's test event), with
   * the audit event `audit` returns (given the envelope and delivery id) written in the same statement.
   * Not in a transaction: `repos` must be the unit of work's own (`uow.repos`), since the delivery is
   * enqueued as soon as the write returned. Not published to SSE: it concerns that endpoint, not the
   * event stream.
   */
  recordForEndpoint(
    repos: WebhookRepositories,
    event: DomainEvent,
    endpoint: WebhookEndpoint,
    audit?: (recorded: RecordedForEndpoint) => DeliveryAuditEvent,
  ): Promise<RecordedForEndpoint>;
}

export function createEventRecorder({
  clock,
  deliveryQueue,
  bus,
  tracing,
  endpointLimits = DEFAULT_WEBHOOK_ENDPOINT_LIMITS,
  onEnqueueError,
}: EventRecorderDeps): WebhookEventRecorder {
  const idsPerEvent = Math.max(1, Math.min(endpointLimits.perCustomer, endpointLimits.perInstance));
  // The host rides along so the worker can take its per-host slot before claiming (process-delivery.ts).
  const jobOf = (deliveryId: string, url: string) => ({ id: deliveryId, data: { host: gateHostOf(url) } });

  return {
    prepare: (event) => prepareEvent(event, { clock, ids: idsPerEvent, traceparent: tracing?.activeTraceparent() ?? null }),
    async written(prepared, deliveries) {
      if (deliveries.length > 0) {
        // Written and committed: a failed enqueue is the sweeper's to make up for, as after any commit.
        try {
          await deliveryQueue.enqueue(deliveries.map((delivery) => jobOf(delivery.deliveryId, delivery.url)));
        } catch (error) {
          onEnqueueError?.(error);
        }
      }
      bus.publish({ customerId: prepared.fanOut.customerId, envelope: prepared.envelope, body: prepared.fanOut.payload });
    },
    async record(repos, tx, event) {
      const prepared = this.prepare(event);
      const created = await repos.webhookDeliveries.createForMatchingEndpoints(prepared.fanOut);
      if (created.length > 0) {
        const jobs = created.map((delivery) => jobOf(delivery.deliveryId, delivery.url));
        tx.afterCommit(() => deliveryQueue.enqueue(jobs));
      }
      // Registered after the enqueue effect but synchronous and unfailing; SSE sees only committed events.
      const published = { customerId: event.customerId, envelope: prepared.envelope, body: prepared.fanOut.payload };
      tx.afterCommit(() => bus.publish(published));
      return prepared.envelope;
    },
    async recordAlone(repos, event) {
      const prepared = this.prepare(event);
      const created = await repos.webhookDeliveries.createForMatchingEndpoints(prepared.fanOut);
      await this.written(prepared, created);
      return prepared.envelope;
    },
    async recordForEndpoint(repos, event, endpoint, audit) {
      const now = clock.now();
      const envelope = buildEnvelope(event, { clock });
      const delivery: WebhookDelivery = {
        id: newId('delivery', now.getTime()),
        customerId: event.customerId,
        endpointId: endpoint.id,
        instanceId: event.instanceId,
        event: event.name,
        eventId: envelope.event_id,
        payload: serializeEnvelope(envelope),
        status: 'pending',
        attemptCount: 0,
        nextAttemptAt: now,
        lastResponseStatus: null,
        lastError: null,
        deliveredAt: null,
        createdAt: now,
        updatedAt: now,
        traceparent: tracing?.activeTraceparent() ?? null,
      };
      const recorded = { envelope, deliveryId: delivery.id };
      await repos.webhookDeliveries.createMany([delivery], audit?.(recorded));
      // Written and committed (one statement, no transaction): the worker can claim it now. A failed
      // enqueue is the sweeper's to make up for, as after any commit; it does not fail the caller.
      try {
        await deliveryQueue.enqueue([jobOf(delivery.id, endpoint.url)]);
      } catch (error) {
        onEnqueueError?.(error);
      }
      return recorded;
    },
  };
}
