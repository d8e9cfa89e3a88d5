/*
 * A stand-in for the webhook pipeline's EventRecorder, for tests of code that records events: it builds
 * the envelope, keeps every event whose transaction committed (in order), and publishes it to an event
 * bus after the commit, as the real recorder does. It writes no deliveries itself (a prepared event's are
 * written by the repository write that carries it).
 */
import { systemClock, type Clock } from '../shared/index.js';
import type { EventEnvelope, PublishedEvent, EventBus, EventPreparer, EventRecorder } from '../events/index.js';
import { buildEnvelope, prepareEvent, serializeEnvelope } from '../webhooks/index.js';

export interface InMemoryEventRecorder extends EventRecorder, EventPreparer {
  /** Every committed event, oldest first, with the customer it belongs to. */
  readonly recorded: readonly PublishedEvent[];
  /** The committed envelopes, oldest first. */
  envelopes(): EventEnvelope[];
}

export function createInMemoryEventRecorder(
  deps: { readonly bus?: EventBus; readonly clock?: Clock } = {},
): InMemoryEventRecorder {
  const clock = deps.clock ?? systemClock;
  const recorded: PublishedEvent[] = [];
  return {
    recorded,
    envelopes: () => recorded.map((event) => event.envelope),
    prepare: (event) => prepareEvent(event, { clock, ids: 1, traceparent: null }),
    async written(prepared) {
      const published: PublishedEvent = { customerId: prepared.fanOut.customerId, envelope: prepared.envelope, body: prepared.fanOut.payload };
      recorded.push(published);
      deps.bus?.publish(published);
    },
    async recordAlone(_repos, event) {
      const prepared = this.prepare(event);
      await this.written(prepared, []);
      return prepared.envelope;
    },
    async record(_repos, tx, event) {
      const envelope = buildEnvelope(event, { clock });
      const published: PublishedEvent = { customerId: event.customerId, envelope, body: serializeEnvelope(envelope) };
      tx.afterCommit(() => {
        recorded.push(published);
        deps.bus?.publish(published);
      });
      return envelope;
    },
  };
}
