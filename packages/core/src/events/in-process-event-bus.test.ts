import { describe, expect, it } from 'vitest';
import type { PublishedEvent } from './event-envelope.js';
import { createInProcessEventBus } from './in-process-event-bus.js';

const eventNumbered = (n: number): PublishedEvent => ({
  customerId: 'cust_1',
  body: `{"n":${n}}`,
  envelope: { event: 'message.sent', event_id: `evt_${n}`, api_version: '2026-04', instance_id: null, occurred_at: '', data: {} },
});

describe('createInProcessEventBus', () => {
  it('fans out to subscribers, skipping one that throws, until they unsubscribe', () => {
    const bus = createInProcessEventBus();
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('slow client');
    });
    const stop = bus.subscribe((e) => void seen.push(e.envelope.event_id));
    bus.publish(eventNumbered(1));
    stop();
    bus.publish(eventNumbered(2));
    expect(seen).toEqual(['evt_1']);
  });

  it('resumes after a Last-Event-ID still in the ring, and says when it is not', () => {
    const bus = createInProcessEventBus({ capacity: 3 });
    for (let n = 1; n <= 5; n++) bus.publish(eventNumbered(n));
    expect(bus.since('evt_3')?.map((e) => e.envelope.event_id)).toEqual(['evt_4', 'evt_5']);
    expect(bus.since('evt_5')).toEqual([]);
    expect(bus.since('evt_2')).toBeNull();
  });
});
