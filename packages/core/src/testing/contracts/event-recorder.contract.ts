/*
 * The EventRecorder port: record an event inside the transaction that made the change, publish it only
 * once that transaction committed; or record an event that is a change on its own, published once written. The webhook recorder also writes one delivery per matching endpoint and
 * enqueues them after the commit; a recorder without webhook deliveries (the in-memory stand-in) declares
 * so with a reason, and those tests are skipped for it with that reason.
 */
import { describe, expect, it } from 'vitest';
import { API_VERSION, type EventName, type EventPreparer, type PublishedEvent, type EventRecorder } from '../../events/index.js';
import type { Repositories } from '../../repositories.js';
import { aDomainEvent, anEventPayload } from '../event-payload-fixtures.js';
import { aCustomer, anInstance } from '../fixtures.js';
import { aWebhookEndpoint } from '../in-memory-webhook-fixtures.js';
import type { ContractSubject } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

/** What the recorder does about webhook deliveries: writes and enqueues them, or nothing (and why). */
export type EventRecorderDeliveries =
  /** Ids handed to the delivery queue so far, oldest first. */
  | { readonly enqueued: () => readonly string[] }
  | { readonly skip: string };

export interface EventRecorderContractSubject extends ContractSubject {
  readonly recorder: EventRecorder<Repositories> & EventPreparer;
  /** Every event the recorder published to in-process subscribers (the event bus), oldest first. */
  readonly published: () => readonly PublishedEvent[];
  readonly deliveries: EventRecorderDeliveries;
}

export type EventRecorderContractSetup = () => Promise<EventRecorderContractSubject>;

/** The behaviour every `EventRecorder` must have. */
/** The envelope a recorder builds for `aDomainEvent('message.sent', …)` at `occurredAt`, its fresh id aside. */
const sentEnvelope = (instanceId: string, occurredAt: Date) => ({
  event: 'message.sent',
  event_id: expect.stringMatching(/^evt_/),
  api_version: API_VERSION,
  instance_id: instanceId,
  occurred_at: occurredAt.toISOString(),
  data: anEventPayload('message.sent'),
});

export function describeEventRecorderContract(name: string, setup: EventRecorderContractSetup): void {
  describe(`EventRecorder contract: ${name}`, () => {
    const subject = useContractSubject(setup);

    async function newCustomer() {
      const customer = await subject().repos.customers.create(aCustomer());
      const instance = await subject().repos.instances.create(anInstance(customer.id));
      return { customerId: customer.id, instanceId: instance.id };
    }
    const publishedFor = (customerId: string) => subject().published().filter((event) => event.customerId === customerId);
    function record(customerId: string, instanceId: string | null, eventName: EventName = 'message.received') {
      const { uow, recorder } = subject();
      return uow.transaction((repos, tx) =>
        recorder.record(repos, tx, aDomainEvent(eventName, { customerId, instanceId })),
      );
    }
    /** The deliveries capability, or skips the test with the subject's reason. */
    function deliveriesOr(skip: (note: string) => never) {
      const deliveries = subject().deliveries;
      if ('skip' in deliveries) return skip(deliveries.skip);
      return deliveries;
    }
    const deliveriesOf = async (customerId: string) =>
      (await subject().repos.webhookDeliveries.list(customerId, { limit: 100, cursor: null })).data;

    it('returns the envelope: the event, a unique evt_ id, the API version, the instance and the data', async () => {
      const { customerId, instanceId } = await newCustomer();
      const occurredAt = new Date('2026-05-01T10:00:00.000Z');
      const envelope = await subject().uow.transaction((repos, tx) =>
        subject().recorder.record(repos, tx, { ...aDomainEvent('message.sent', { customerId, instanceId }), occurredAt }),
      );
      expect(envelope).toEqual(sentEnvelope(instanceId, occurredAt));
      const again = await record(customerId, null);
      expect(again.event_id).not.toBe(envelope.event_id);
      expect(again.instance_id).toBeNull();
    });

    it('publishes the event only once the transaction committed, as the exact serialised envelope', async () => {
      const { customerId, instanceId } = await newCustomer();
      let seenInside: readonly PublishedEvent[] | undefined;
      const envelope = await subject().uow.transaction(async (repos, tx) => {
        const recorded = await subject().recorder.record(repos, tx, aDomainEvent('message.received', { customerId, instanceId }));
        seenInside = publishedFor(customerId);
        return recorded;
      });
      expect(seenInside).toEqual([]);
      const published = publishedFor(customerId);
      expect(published).toHaveLength(1);
      expect(published[0]!.envelope).toEqual(envelope);
      expect(JSON.parse(published[0]!.body)).toEqual(envelope);
    });

    it('publishes events in the order their transactions committed', async () => {
      const { customerId, instanceId } = await newCustomer();
      const first = await record(customerId, instanceId, 'message.sent');
      const second = await record(customerId, instanceId, 'message.delivered');
      expect(publishedFor(customerId).map((event) => event.envelope.event_id)).toEqual([first.event_id, second.event_id]);
    });

    it('publishes nothing when the transaction rolls back', async () => {
      const { customerId, instanceId } = await newCustomer();
      await expect(
        subject().uow.transaction(async (repos, tx) => {
          await subject().recorder.record(repos, tx, aDomainEvent('message.sent', { customerId, instanceId }));
          throw new Error('the state change failed');
        }),
      ).rejects.toThrow('the state change failed');
      expect(publishedFor(customerId)).toEqual([]);
    });

    it('writes one delivery per matching enabled endpoint, with the event id and the published body', async ({ skip }) => {
      const deliveries = deliveriesOr(skip);
      const { customerId, instanceId } = await newCustomer();
      const otherInstance = await subject().repos.instances.create(anInstance(customerId));
      const stranger = await newCustomer();
      const endpoints = subject().repos.webhookEndpoints;
      const all = await endpoints.create(aWebhookEndpoint(customerId, { events: ['*'] }));
      const bound = await endpoints.create(aWebhookEndpoint(customerId, { events: ['message.received'], instanceId }));
      await endpoints.create(aWebhookEndpoint(customerId, { events: ['message.received'], instanceId: otherInstance.id }));
      await endpoints.create(aWebhookEndpoint(customerId, { events: ['instance.connected'] }));
      await endpoints.create(aWebhookEndpoint(customerId, { events: ['*'], enabled: false, disabledReason: 'manual' }));
      await endpoints.create(aWebhookEndpoint(stranger.customerId, { events: ['*'] }));
      const enqueuedBefore = deliveries.enqueued().length;

      const envelope = await record(customerId, instanceId, 'message.received');

      const written = await deliveriesOf(customerId);
      expect(written.map((delivery) => delivery.endpointId).sort()).toEqual([all.id, bound.id].sort());
      const body = publishedFor(customerId)[0]!.body;
      for (const delivery of written) {
        expect(delivery).toMatchObject({ eventId: envelope.event_id, event: 'message.received', instanceId, status: 'pending' });
        // Lists leave the payload out: the stored bytes come with the single delivery.
        expect((await subject().repos.webhookDeliveries.findById(customerId, delivery.id))?.payload).toBe(body);
      }
      expect(await deliveriesOf(stranger.customerId)).toEqual([]);
      expect([...deliveries.enqueued().slice(enqueuedBefore)].sort()).toEqual(written.map((delivery) => delivery.id).sort());
    });

    it('enqueues deliveries only after the commit', async ({ skip }) => {
      const deliveries = deliveriesOr(skip);
      const { customerId, instanceId } = await newCustomer();
      await subject().repos.webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['*'] }));
      const before = deliveries.enqueued().length;
      let enqueuedInside = -1;
      await subject().uow.transaction(async (repos, tx) => {
        await subject().recorder.record(repos, tx, aDomainEvent('message.sent', { customerId, instanceId }));
        enqueuedInside = deliveries.enqueued().length - before;
      });
      expect(enqueuedInside).toBe(0);
      expect(deliveries.enqueued().length - before).toBe(1);
    });

    it('writes and enqueues no delivery when the transaction rolls back', async ({ skip }) => {
      const deliveries = deliveriesOr(skip);
      const { customerId, instanceId } = await newCustomer();
      await subject().repos.webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['*'] }));
      const before = deliveries.enqueued().length;
      await expect(
        subject().uow.transaction(async (repos, tx) => {
          await subject().recorder.record(repos, tx, aDomainEvent('message.sent', { customerId, instanceId }));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await deliveriesOf(customerId)).toEqual([]);
      expect(deliveries.enqueued().length).toBe(before);
    });

    it('publishes an event recorded on its own, outside a transaction, as the exact serialised envelope', async () => {
      const { customerId, instanceId } = await newCustomer();
      const occurredAt = new Date('2026-05-01T10:00:00.000Z');
      const envelope = await subject().recorder.recordAlone(subject().uow.repos, { ...aDomainEvent('message.sent', { customerId, instanceId }), occurredAt });
      expect(envelope).toEqual(sentEnvelope(instanceId, occurredAt));
      const published = publishedFor(customerId);
      expect(published.map((event) => event.envelope)).toEqual([envelope]);
      expect(JSON.parse(published[0]!.body)).toEqual(envelope);
    });

    it('writes and enqueues the deliveries of an event recorded on its own, as record does after a commit', async ({ skip }) => {
      const deliveries = deliveriesOr(skip);
      const { customerId, instanceId } = await newCustomer();
      const endpoints = subject().repos.webhookEndpoints;
      const all = await endpoints.create(aWebhookEndpoint(customerId, { events: ['*'] }));
      await endpoints.create(aWebhookEndpoint(customerId, { events: ['instance.connected'] }));
      const before = deliveries.enqueued().length;

      const envelope = await subject().recorder.recordAlone(subject().uow.repos, aDomainEvent('message.received', { customerId, instanceId }));

      const written = await deliveriesOf(customerId);
      expect(written).toHaveLength(1);
      expect(written[0]).toMatchObject({ endpointId: all.id, eventId: envelope.event_id, event: 'message.received', status: 'pending' });
      expect((await subject().repos.webhookDeliveries.findById(customerId, written[0]!.id))?.payload).toBe(publishedFor(customerId)[0]!.body);
      expect(deliveries.enqueued().slice(before)).toEqual([written[0]!.id]);
    });

    it('prepares an event as record would store it, and publishes it only when told the write returned', async () => {
      const { customerId, instanceId } = await newCustomer();
      const occurredAt = new Date('2026-05-01T10:00:00.000Z');
      const prepared = subject().recorder.prepare({ ...aDomainEvent('message.sent', { customerId, instanceId }), occurredAt });
      expect(prepared.envelope).toEqual(sentEnvelope(instanceId, occurredAt));
      expect(prepared.fanOut).toMatchObject({ customerId, instanceId, event: 'message.sent', eventId: prepared.envelope.event_id });
      expect(JSON.parse(prepared.fanOut.payload)).toEqual(prepared.envelope);
      expect(prepared.fanOut.ids.length).toBeGreaterThan(0);
      expect(publishedFor(customerId)).toEqual([]);
      await subject().recorder.written(prepared, []);
      expect(publishedFor(customerId)).toEqual([{ customerId, envelope: prepared.envelope, body: prepared.fanOut.payload }]);
    });

    it('enqueues the deliveries a write fanned a prepared event out to', async ({ skip }) => {
      const deliveries = deliveriesOr(skip);
      const { customerId, instanceId } = await newCustomer();
      const endpoint = await subject().repos.webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['*'] }));
      const prepared = subject().recorder.prepare(aDomainEvent('message.sent', { customerId, instanceId }));
      const written = await subject().repos.webhookDeliveries.createForMatchingEndpoints(prepared.fanOut);
      expect(written).toEqual([{ deliveryId: prepared.fanOut.ids[0], endpointId: endpoint.id, url: endpoint.url }]);
      const before = deliveries.enqueued().length;
      await subject().recorder.written(prepared, written);
      expect(deliveries.enqueued().slice(before)).toEqual([prepared.fanOut.ids[0]]);
    });

    it('still publishes when no endpoint matches, and writes no delivery', async ({ skip }) => {
      deliveriesOr(skip);
      const { customerId, instanceId } = await newCustomer();
      await subject().repos.webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['instance.connected'] }));
      const envelope = await record(customerId, instanceId, 'message.sent');
      expect(publishedFor(customerId).map((event) => event.envelope)).toEqual([envelope]);
      expect(await deliveriesOf(customerId)).toEqual([]);
    });
  });
}
