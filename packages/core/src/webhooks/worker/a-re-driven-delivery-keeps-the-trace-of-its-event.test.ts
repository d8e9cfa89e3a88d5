import { describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../../events/index.js';
import type { JobRequest } from '../../shared/index.js';
import { aDomainEvent } from '../../testing/event-payload-fixtures.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { aCustomer } from '../../testing/fixtures.js';
import { createInMemoryUnitOfWork } from '../../testing/in-memory-unit-of-work.js';
import { aWebhookEndpoint } from '../../testing/in-memory-webhook-fixtures.js';
import { createRecordingTracing, traceparentOf } from '../../testing/recording-tracing.js';
import { createEventRecorder } from '../deliveries/create-event-recorder.js';
import { createSweepDueDeliveries } from './sweep-due-deliveries.js';

describe('a delivery whose job was lost', () => {
  it('is re-driven by the sweeper with the trace context of the work that recorded its event', async () => {
    const clock = createFakeClock();
    const uow = createInMemoryUnitOfWork({ clock });
    const customer = await uow.repos.customers.create(aCustomer());
    await uow.repos.webhookEndpoints.create(aWebhookEndpoint(customer.id, { events: ['*'] }));
    const tracing = createRecordingTracing();
    const lost: JobRequest[] = [];
    const recorder = createEventRecorder({ clock, deliveryQueue: { enqueue: async (jobs) => void lost.push(...jobs) }, bus: createInProcessEventBus(), tracing });
    const send = tracing.startSpan('send message', { kind: 'client' });
    await send.run(() => uow.transaction((repos, tx) => recorder.record(repos, tx, aDomainEvent('message.received', { customerId: customer.id, instanceId: null }))));
    send.end();
    expect(lost).toHaveLength(1);

    const swept: JobRequest[] = [];
    const sweep = createSweepDueDeliveries({ uow, clock, deliveryQueue: { enqueue: async (jobs) => void swept.push(...jobs) } });
    expect(await sweep()).toBe(1);
    expect(swept).toEqual([{ id: lost[0]!.id, data: { traceparent: traceparentOf(tracing.spans[0]!) } }]);
  });
});
