import { afterEach, describe, expect, it } from 'vitest';
import type { PublishedEvent } from '@whatisup/core';
import { describeWithRedis, testRedisUrl, uniqueRedisPrefix } from '@whatisup/test-infra';
import { Redis } from 'ioredis';
import { createRedisEventFeed, type RedisEventFeed } from '../src/index.js';
import { deleteKeysWithPrefix } from './redis-test-keys.js';

let n = 0;
const event = (customerId: string): PublishedEvent => {
  const envelope = { event: 'message.sent' as const, event_id: `evt_${++n}`, api_version: '2026-04', instance_id: null, occurred_at: '', data: {} };
  return { customerId, envelope, body: JSON.stringify(envelope) };
};
const ids = (events: readonly PublishedEvent[] | null | undefined) => events?.map((e) => e.envelope.event_id);

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describeWithRedis('Redis event feed', () => {
  const opened: RedisEventFeed[] = [];
  const prefixes: string[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((feed) => feed.close()));
    for (const prefix of prefixes.splice(0)) await deleteKeysWithPrefix(testRedisUrl(), prefix);
  });

  /** Two feeds on one prefix: two nodes. */
  function nodes(options: { window?: number } = {}): [RedisEventFeed, RedisEventFeed, string] {
    const prefix = uniqueRedisPrefix('events');
    prefixes.push(prefix);
    const make = () => createRedisEventFeed({ redisUrl: testRedisUrl(), prefix, ...options });
    const pair: [RedisEventFeed, RedisEventFeed] = [make(), make()];
    opened.push(...pair);
    return [...pair, prefix];
  }

  it("delivers one node's events to another node's streams, only the customer's own, in order", async () => {
    const [a, b] = nodes();
    const streamOnB = await b.open('cust_1', null);
    const seen: PublishedEvent[] = [];
    streamOnB.listen((e) => void seen.push(e));
    const mine = [event('cust_1'), event('cust_1'), event('cust_1')];
    a.publish(mine[0]!);
    a.publish(event('cust_2'));
    a.publish(mine[1]!);
    b.publish(mine[2]!);
    await until(() => seen.length === 3);
    expect(ids(seen)).toEqual(ids(mine));
    expect(seen[0]).toEqual(mine[0]);
  });

  it('resumes after Last-Event-ID from the window on another node, then goes live without a gap or a double', async () => {
    const [a, b] = nodes();
    const first = await a.open('cust_1', null);
    const onA: PublishedEvent[] = [];
    first.listen((e) => void onA.push(e));
    const before = [event('cust_1'), event('cust_1'), event('cust_1')];
    before.forEach((e) => a.publish(e));
    await until(() => onA.length === 3);
    first.close();

    const resumed = await b.open('cust_1', before[0]!.envelope.event_id);
    expect(ids(resumed.backlog)).toEqual(ids(before.slice(1)));
    const after = event('cust_1');
    a.publish(after);
    const onB: PublishedEvent[] = [];
    await new Promise((resolve) => setTimeout(resolve, 50));
    resumed.listen((e) => void onB.push(e));
    await until(() => onB.length === 1);
    expect(ids(onB)).toEqual([after.envelope.event_id]);
    expect((await b.open('cust_1', 'evt_unknown')).backlog).toBeNull();
  });

  it('tells an open stream when its subscription dropped, so its client resumes from the window', async () => {
    const [a, b, prefix] = nodes();
    const opened = await b.open('cust_1', null);
    let lost = 0;
    opened.listen(() => undefined, () => void lost++);
    const redis = new Redis(testRedisUrl());
    try {
      const list = (await redis.client('LIST')) as string;
      // Both nodes' subscriber connections share the name: drop them all.
      for (const line of list.split('\n').filter((l) => l.includes(`name=wiu-events-sub:${prefix} `))) {
        await redis.client('KILL', 'ID', /(?:^| )id=(\d+)/.exec(line)![1]!);
      }
    } finally {
      await redis.quit();
    }
    await until(() => lost === 1);
    // The feed itself recovers: a stream opened after the reconnect gets live events again.
    const again = await b.open('cust_1', null);
    const seen: PublishedEvent[] = [];
    again.listen((e) => void seen.push(e));
    const next = event('cust_1');
    a.publish(next);
    await until(() => seen.length === 1);
    expect(lost).toBe(1);
  });

  it('caps the window per customer and keys it by customer', async () => {
    const [a, , prefix] = nodes({ window: 5 });
    const listener = await a.open('cust_1', null);
    const seen: PublishedEvent[] = [];
    listener.listen((e) => void seen.push(e));
    for (let i = 0; i < 500; i++) a.publish(event('cust_1'));
    a.publish(event('cust_2'));
    await until(() => seen.length === 500);
    const redis = new Redis(testRedisUrl());
    try {
      // MAXLEN ~ trims whole macro nodes (100 entries by default): well under the 500 written.
      expect(await redis.xlen(`${prefix}:events:cust_1`)).toBeLessThanOrEqual(200);
      expect(await redis.xlen(`${prefix}:events:cust_2`)).toBe(1);
      expect(await redis.pttl(`${prefix}:events:cust_1`)).toBeGreaterThan(0);
    } finally {
      await redis.quit();
    }
  });
});
