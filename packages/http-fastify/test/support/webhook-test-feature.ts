/*
 * The webhook route groups over the real use cases, a real secret box and a worker the test drives by hand
 * (`deliverQueued`), so deliveries get real attempts without timers. Outbound HTTP is a tiny fake: URLs are
 * checked by `fakeCheckUrl`, and requests are answered from a script.
 */
import {
  createEventRecorder,
  createProcessDelivery,
  createRetryPolicy,
  createSecretBox,
  createWebhookUseCases,
  generateSecretsKey,
  parseSecretsKey,
  type EventName,
  type GetWebhookEndpointLimits,
  type OutboundHttp,
} from '@whatisup/core';
import { aDomainEvent, createInMemoryHostGate, createInMemoryWebhookReceiver, type InMemoryWebhookReceiver } from '@whatisup/core/testing';
import { webhookDeliveryRoutes, webhookEndpointRoutes } from '../../src/index.js';
import type { TestCore } from './create-test-core.js';
import { fakeCheckUrl } from './fake-check-url.js';
import type { TestFeature } from './test-feature.js';

export interface WebhookTestHelpers {
  /** Scripted answers of the receivers (`receiver.answer({ status: 500 })`) and every request sent. */
  readonly receiver: InMemoryWebhookReceiver;
  /** Records an event the way a use case does, in a transaction; returns its event id. */
  readonly recordEvent: (customerId: string, name: EventName, instanceId?: string | null) => Promise<string>;
  /** Runs the worker once over every delivery woken so far (as the queue would), and forgets them. */
  readonly deliverQueued: () => Promise<number>;
  /** The fan-out limits' use case, for `GET /v1/limits` (default limits: 20 per customer, 10 per instance). */
  readonly getWebhookEndpointLimits: GetWebhookEndpointLimits;
}

export function webhookTestFeature({ uow, clock, bus }: TestCore): TestFeature<WebhookTestHelpers> {
  const secretBox = createSecretBox({ current: parseSecretsKey(generateSecretsKey()) });
  const receiver = createInMemoryWebhookReceiver();
  const outbound: OutboundHttp = { ...receiver, checkUrl: fakeCheckUrl };
  const woken: string[] = [];
  const deliveryQueue = { enqueue: async (jobs: ReadonlyArray<{ id: string }>) => void woken.push(...jobs.map((j) => j.id)) };
  const recorder = createEventRecorder({ clock, deliveryQueue, bus });
  const processDelivery = createProcessDelivery({
    uow,
    clock,
    outbound,
    hostGate: createInMemoryHostGate({ limit: 4, leaseMs: 60_000, clock }),
    secretBox,
    // Two attempts 10 s apart, no jitter: a failing receiver ends a delivery `failed` quickly.
    retryPolicy: createRetryPolicy({ scheduleMs: [0, 10_000], jitter: 0, clock }),
    deliveryQueue,
  });

  const useCases = createWebhookUseCases({ uow, clock, outbound, secretBox, recorder, deliveryQueue });
  return {
    routes: [
      ...webhookEndpointRoutes(useCases),
      ...webhookDeliveryRoutes(useCases),
    ],
    helpers: {
      receiver,
      getWebhookEndpointLimits: useCases.getWebhookEndpointLimits,
      async recordEvent(customerId, name, instanceId = null) {
        const envelope = await uow.transaction((repos, tx) =>
          recorder.record(repos, tx, aDomainEvent(name, { customerId, instanceId })),
        );
        return envelope.event_id;
      },
      async deliverQueued() {
        const ids = woken.splice(0);
        for (const id of ids) await processDelivery(id);
        return ids.length;
      },
    },
  };
}
