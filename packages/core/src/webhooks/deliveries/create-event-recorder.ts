/*
 * The real EventRecorder, a transactional outbox. Inside the caller's transaction it
 * builds the envelope once (one event_id for every endpoint), serialises it once, and inserts one delivery
 * per matching enabled endpoint with that exact body, due at once. After the commit it publishes the event
 * to the in-process bus (SSE), whether or not an endpoint matched, and wakes each delivery on the queue
 * (job id = delivery id). If the process dies between the commit and the enqueue, or Redis loses the
 * jobs, the deliveries are still in Postgres, due, and the sweeper re-enqueues them.
 */
import { newId, type Clock, type JobQueue, type TransactionContext, type Tracing } from '../../shared/index.js';
import type { WebhookDelivery } from './webhook-delivery.js';
import type { WebhookEndpoint } from '../endpoints/webhook-endpoint.js';
import { gateHostOf } from '../worker/gate-host.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import { buildEnvelope } from './build-envelope.js';
import { serializeEnvelope } from './serialize-envelope.js';
import type { EventBus, DomainEvent, EventEnvelope, PublishedEvent, EventRecorder } from '../../events/index.js';

export interface EventRecorderDeps {
  readonly clock: Clock;
  /** The webhook delivery queue: one job per delivery id. */
  readonly deliveryQueue: Pick<JobQueue, 'enqueue'>;
  readonly bus: EventBus;
  /** The active trace context is stored with each delivery, so a re-driven attempt still joins its trace. */
  readonly tracing?: Pick<Tracing, 'activeTraceparent'>;
}

export interface RecordedForEndpoint {
  readonly envelope: EventEnvelope;
  readonly deliveryId: string;
}

export interface WebhookEventRecorder extends EventRecorder<WebhookRepositories> {
  /**
   * Records an event for one endpoint only, whatever it subscribes to (the endpoint's test event). Not
   * published to SSE: it concerns that endpoint, not the event stream.
   */
  recordForEndpoint(
    repos: WebhookRepositories,
    tx: TransactionContext,
    event: DomainEvent,
    endpoint: WebhookEndpoint,
  ): Promise<RecordedForEndpoint>;
}

export function createEventRecorder({ clock, deliveryQueue, bus, tracing }: EventRecorderDeps): WebhookEventRecorder {
  async function writeDeliveries(
    repos: WebhookRepositories,
    tx: TransactionContext,
    event: DomainEvent,
    endpoints: readonly WebhookEndpoint[],
  ): Promise<{ published: PublishedEvent; ids: string[] }> {
    const now = clock.now();
    const envelope = buildEnvelope(event, { clock });
    const body = serializeEnvelope(envelope);
    const traceparent = tracing?.activeTraceparent() ?? null;
    const deliveries = endpoints.map(
      (endpoint): WebhookDelivery => ({
        id: newId('delivery', now.getTime()),
        customerId: event.customerId,
        endpointId: endpoint.id,
        instanceId: event.instanceId,
        event: event.name,
        eventId: envelope.event_id,
        payload: body,
        status: 'pending',
        attemptCount: 0,
        nextAttemptAt: now,
        lastResponseStatus: null,
        lastError: null,
        deliveredAt: null,
        createdAt: now,
        updatedAt: now,
        traceparent,
      }),
    );
    if (deliveries.length > 0) await repos.webhookDeliveries.createMany(deliveries);
    const ids = deliveries.map((delivery) => delivery.id);
    // The host rides along so the worker can take its per-host slot before claiming (process-delivery.ts).
    const jobs = deliveries.map((delivery, i) => ({ id: delivery.id, data: { host: gateHostOf(endpoints[i]!.url) } }));
    if (jobs.length > 0) tx.afterCommit(() => deliveryQueue.enqueue(jobs));
    return { published: { customerId: event.customerId, envelope, body }, ids };
  }

  return {
    async record(repos, tx, event) {
      const endpoints = await repos.webhookEndpoints.findMatching(event.customerId, {
        instanceId: event.instanceId,
        name: event.name,
      });
      const { published } = await writeDeliveries(repos, tx, event, endpoints);
      // Registered after the enqueue effect but synchronous and unfailing; SSE sees only committed events.
      tx.afterCommit(() => bus.publish(published));
      return published.envelope;
    },
    async recordForEndpoint(repos, tx, event, endpoint) {
      const { published, ids } = await writeDeliveries(repos, tx, event, [endpoint]);
      return { envelope: published.envelope, deliveryId: ids[0]! };
    },
  };
}
