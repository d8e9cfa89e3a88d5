import { describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../../events/index.js';
import type { JobRequest } from '../../shared/index.js';
import { createWebhookHarness } from '../../testing/webhook-harness.js';
import { createEventRecorder } from '../deliveries/create-event-recorder.js';
import { createSendTestWebhook } from './send-test-webhook.js';

describe('sendTestWebhook', () => {
  /** The harness's tenant and a test sender over its repositories that refuses to open a transaction. */
  async function setup(enqueue: (jobs: readonly JobRequest[]) => Promise<void>, onEnqueueError?: (error: unknown) => void) {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint({ url: 'https://hooks.example.com:8443/in' });
    const recorder = createEventRecorder({ clock: h.clock, deliveryQueue: { enqueue }, bus: createInProcessEventBus(), onEnqueueError });
    const uow = {
      repos: h.uow.repos,
      transaction: () => Promise.reject(new Error('the test event needs no transaction: one statement writes it')),
    };
    return { h, tenant, sendTest: createSendTestWebhook({ uow, clock: h.clock, recorder }) };
  }

  it('writes the delivery and its audit event together without a transaction, then enqueues it', async () => {
    const seenAtEnqueue: unknown[] = [];
    const jobs: JobRequest[] = [];
    const { h, tenant, sendTest } = await setup(async (requests) => {
      for (const job of requests) seenAtEnqueue.push(await h.uow.repos.webhookDeliveries.findById(tenant.principal.customerId, job.id));
      jobs.push(...requests);
    });
    const { envelope, deliveryId } = await sendTest(tenant.principal, { id: tenant.endpoint.id });
    expect(jobs).toEqual([{ id: deliveryId, data: { host: 'hooks.example.com:8443' } }]);
    expect(seenAtEnqueue).toEqual([expect.objectContaining({ id: deliveryId, eventId: envelope.event_id, endpointId: tenant.endpoint.id })]);
    const audit = (await h.uow.repos.audit.list(tenant.principal.customerId, { limit: 100 })).data.find((e) => e.action === 'webhook_endpoint.tested');
    expect(audit).toMatchObject({
      targetType: 'webhook_endpoint',
      targetId: tenant.endpoint.id,
      data: { event_id: envelope.event_id, delivery_id: deliveryId },
      occurredAt: h.clock.now(),
    });
  });

  it('answers even when the enqueue fails, and says so: the delivery is written and the sweeper sends it', async () => {
    const errors: unknown[] = [];
    const { h, tenant, sendTest } = await setup(() => Promise.reject(new Error('Redis is away')), (error) => errors.push(error));
    const { deliveryId } = await sendTest(tenant.principal, { id: tenant.endpoint.id });
    expect(await h.uow.repos.webhookDeliveries.findById(tenant.principal.customerId, deliveryId)).toMatchObject({ status: 'pending' });
    expect(errors).toEqual([new Error('Redis is away')]);
  });
});
