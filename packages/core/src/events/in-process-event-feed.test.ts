import { describe, expect, it } from 'vitest';
import type { PublishedEvent } from './event-envelope.js';
import { createInProcessEventBus } from './in-process-event-bus.js';
import { createInProcessEventFeed } from './in-process-event-feed.js';

const event = (customerId: string, n: number): PublishedEvent => ({
  customerId,
  body: `{"n":${n}}`,
  envelope: { event: 'message.sent', event_id: `evt_${n}`, api_version: '2026-04', instance_id: null, occurred_at: '', data: {} },
});
const ids = (events: readonly PublishedEvent[] | null | undefined) => events?.map((e) => e.envelope.event_id);

describe('createInProcessEventFeed', () => {
  it('resumes from a per-customer window that another customer cannot push events out of', async () => {
    const bus = createInProcessEventBus();
    const feed = createInProcessEventFeed(bus, { capacity: 2 });
    bus.publish(event('cust_a', 1));
    bus.publish(event('cust_a', 2));
    for (let n = 10; n < 20; n++) bus.publish(event('cust_b', n));
    bus.publish(event('cust_a', 3));
    expect(ids((await feed.open('cust_a', 'evt_2')).backlog)).toEqual(['evt_3']);
    expect((await feed.open('cust_a', 'evt_1')).backlog).toBeNull();
    expect((await feed.open('cust_a', null)).backlog).toBeUndefined();
    expect((await feed.open('cust_a', 'evt_10')).backlog).toBeNull();
  });

  it('holds what is published between open and listen, then goes live with the customer\'s events only', async () => {
    const bus = createInProcessEventBus();
    const feed = createInProcessEventFeed(bus);
    const opened = await feed.open('cust_a', null);
    bus.publish(event('cust_a', 1));
    bus.publish(event('cust_b', 2));
    const seen: PublishedEvent[] = [];
    opened.listen((e) => void seen.push(e));
    bus.publish(event('cust_a', 3));
    opened.close();
    bus.publish(event('cust_a', 4));
    expect(ids(seen)).toEqual(['evt_1', 'evt_3']);
  });

  it('forgets the least recently written customer past maxCustomers', async () => {
    const bus = createInProcessEventBus();
    const feed = createInProcessEventFeed(bus, { maxCustomers: 2 });
    bus.publish(event('cust_a', 1));
    bus.publish(event('cust_b', 2));
    bus.publish(event('cust_a', 3));
    bus.publish(event('cust_c', 4));
    expect((await feed.open('cust_b', 'evt_2')).backlog).toBeNull();
    expect(ids((await feed.open('cust_a', 'evt_1')).backlog)).toEqual(['evt_3']);
  });
});
