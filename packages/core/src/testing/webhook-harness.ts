/*
 * Test support for the webhook tests: the foundation harness plus every webhook use case, the event
 * recorder, the delivery worker, sweeper and pruner, wired to in-memory adapters, a fake clock, a
 * scripted receiver, a real secret box, an in-memory host gate and a queue that only records what it is
 * told (no timers: tests call processDelivery themselves, as the worker would).
 */
import type { Principal, JobQueue, JobRequest } from '../shared/index.js';
import {
  createEventRecorder,
  createPruneDeliveries,
  createProcessDelivery,
  createSweepDueDeliveries,
  createRetryPolicy,
  createSecretBox,
  parseSecretsKey,
  generateSecretsKey,
  createCreateWebhookEndpoint,
  createDeleteWebhookEndpoint,
  createGetWebhookDelivery,
  createGetWebhookEndpoint,
  createListWebhookDeliveries,
  createListWebhookEndpoints,
  createRecoverWebhookDeliveries,
  createReplayWebhookDelivery,
  createRotateWebhookSecret,
  createSendTestWebhook,
  createUpdateWebhookEndpoint,
  type OnDeliveryReport,
} from '../webhooks/index.js';
import { createInProcessEventBus, type PublishedEvent } from '../events/index.js';
import { createInMemoryHostGate } from './in-memory-host-gate.js';
import { createInMemoryWebhookReceiver } from './in-memory-webhook-receiver.js';
import { createUseCaseHarness } from './use-case-harness.js';
import { aDomainEvent } from './event-payload-fixtures.js';

export const UNSAFE_HOST = '169.254.169.254';

export interface RecordingQueue extends Pick<JobQueue, 'enqueue'> {
  readonly jobs: JobRequest[];
  /** Ids enqueued so far, then forgets them (a Redis flush, from the test's point of view). */
  take(): string[];
}

function createRecordingQueue(): RecordingQueue {
  const jobs: JobRequest[] = [];
  return {
    jobs,
    async enqueue(requests) {
      jobs.push(...requests);
    },
    take: () => jobs.splice(0).map((job) => job.id),
  };
}

export function createWebhookHarness(options: { readonly maxPerHost?: number; readonly onReport?: OnDeliveryReport } = {}) {
  const base = createUseCaseHarness();
  const { uow, clock } = base;
  const secretBox = createSecretBox({ current: parseSecretsKey(generateSecretsKey()) });
  const receiver = createInMemoryWebhookReceiver({ unsafeHosts: [UNSAFE_HOST] });
  const queue = createRecordingQueue();
  const bus = createInProcessEventBus();
  const published: PublishedEvent[] = [];
  bus.subscribe((event) => void published.push(event));
  const hostGate = createInMemoryHostGate({ limit: options.maxPerHost ?? 4, leaseMs: 60_000, clock });
  // random() = 0.5 makes the jitter factor exactly 1: the schedule is the nominal one.
  const retryPolicy = createRetryPolicy({ clock, random: () => 0.5 });
  const recorder = createEventRecorder({ clock, deliveryQueue: queue, bus });
  const outbound = receiver;
  const webhooks = {
    createEndpoint: createCreateWebhookEndpoint({ uow, clock, outbound, secretBox }),
    listEndpoints: createListWebhookEndpoints({ uow }),
    getEndpoint: createGetWebhookEndpoint({ uow }),
    updateEndpoint: createUpdateWebhookEndpoint({ uow, clock, outbound }),
    deleteEndpoint: createDeleteWebhookEndpoint({ uow, clock }),
    rotateSecret: createRotateWebhookSecret({ uow, clock, secretBox }),
    sendTest: createSendTestWebhook({ uow, clock, recorder }),
    listDeliveries: createListWebhookDeliveries({ uow }),
    getDelivery: createGetWebhookDelivery({ uow }),
    replay: createReplayWebhookDelivery({ uow, clock, deliveryQueue: queue }),
    recover: createRecoverWebhookDeliveries({ uow, clock, deliveryQueue: queue }),
    processDelivery: createProcessDelivery({
      uow, clock, outbound, hostGate, secretBox, retryPolicy, deliveryQueue: queue,
      ...(options.onReport && { onReport: options.onReport }),
    }),
    sweep: createSweepDueDeliveries({ uow, clock, deliveryQueue: queue }),
    prune: createPruneDeliveries({ uow, clock }),
  };

  /** Records an event the way a use case does: inside a transaction. */
  async function recordEvent(principal: Principal, name: 'message.received' | 'instance.connected', instanceId: string | null = null) {
    return uow.transaction((repos, tx) =>
      recorder.record(repos, tx, aDomainEvent(name, { customerId: principal.customerId, instanceId })),
    );
  }

  /** A tenant with one endpoint (every event) and its secret. */
  async function tenantWithEndpoint(input: { url?: string; events?: string[] } = {}) {
    const tenant = await base.newTenant();
    const created = await webhooks.createEndpoint(tenant.principal, {
      url: input.url ?? 'https://hooks.example.com/in',
      events: input.events ?? ['*'],
    });
    return { ...tenant, endpoint: created.endpoint, secret: created.signingSecret };
  }

  return { ...base, ...webhooks, secretBox, receiver, queue, bus, published, hostGate, recorder, recordEvent, tenantWithEndpoint };
}

export type WebhookHarness = ReturnType<typeof createWebhookHarness>;
