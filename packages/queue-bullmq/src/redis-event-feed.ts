/*
 * The event feed shared by every node: one capped Redis Stream per customer (`<prefix>:events:<customer>`,
 * `XADD … MAXLEN ~ window`) is the resume window, and one Pub/Sub channel per customer
 * (`<prefix>:events:live:<customer>`) carries the live events. One Lua script appends and publishes, so a
 * published event always carries its stream id and the channel's order is the stream's order.
 *
 * Opening a stream subscribes to the customer's channel first (a node subscribes once per customer with
 * open streams, and unsubscribes when the last one closes), then reads the window. Live events that arrive
 * meanwhile are held and, once the stream listens, only those with a stream id past the window just read
 * are delivered: nothing is lost or sent twice across the switch from backlog to live.
 *
 * Memory: at most ~`window` events per customer (MAXLEN ~ trims in whole macro nodes, so a little more), and
 * a window idle for `idleMs` expires. Tenancy: a customer's events only ever enter that customer's key and
 * channel.
 *
 * Failure: publishing never waits (an event that cannot reach Redis is reported and left to webhooks, which
 * are durable); opening a stream while Redis is unreachable rejects with DomainError('unavailable').
 */
import { DomainError, type EventFeed, type OpenedEventFeed, type PublishedEvent } from '@whatisup/core';
import type { Redis } from 'ioredis';
import { closeRedisConnection, createRedisConnection } from './redis-connection.js';
import { watchRedisOutages } from './redis-outage-reporter.js';
import { withDeadline } from './with-deadline.js';

export interface RedisEventFeedOptions {
  readonly redisUrl: string;
  /** Key prefix in Redis; default `whatisup`. */
  readonly prefix?: string;
  /** Events kept per customer for resuming. Default 1,000. */
  readonly window?: number;
  /** A customer's window with no new event for this long is dropped. Default one hour. */
  readonly idleMs?: number;
  /** Longest wait for Redis when a stream opens. Default 2 s. */
  readonly openTimeoutMs?: number;
  /** The first failure of an outage and any other error (publishing or subscribing). Default: ignored. */
  readonly onError?: (error: Error) => void;
  readonly onRecovered?: () => void;
}

export interface RedisEventFeed extends EventFeed {
  /** Appends the event to its customer's window and sends it to every node's open streams. Never throws. */
  publish(event: PublishedEvent): void;
  close(): Promise<void>;
}

// KEYS[1] the customer's stream; ARGV: channel, window, idle ms, event id, body. Returns the stream id.
const APPEND_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[4], 'b', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[1], id .. ' ' .. ARGV[5])
return id
`;

type FeedConnection = Redis & {
  wiuAppendEvent(key: string, channel: string, window: number, idleMs: number, eventId: string, body: string): Promise<string>;
};

type Listener = (streamId: string, event: PublishedEvent) => void;
interface Follower {
  readonly deliver: Listener;
  /** The subscription dropped: events may have been missed. */
  readonly lost: () => void;
}

/** Stream ids are `<ms>-<seq>`; true when `a` comes after `b`. */
export function streamIdAfter(a: string, b: string): boolean {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs > bMs || (aMs === bMs && aSeq > bSeq);
}

export function createRedisEventFeed(options: RedisEventFeedOptions): RedisEventFeed {
  const prefix = options.prefix ?? 'whatisup';
  const window = options.window ?? 1_000;
  const idleMs = options.idleMs ?? 3_600_000;
  const openTimeoutMs = options.openTimeoutMs ?? 2_000;
  const report = (error: Error) => options.onError?.(error);
  const writer = createRedisConnection(options.redisUrl, `wiu-events:${prefix}`, 'fail-fast', { autoPipelining: true }) as FeedConnection;
  writer.defineCommand('wiuAppendEvent', { numberOfKeys: 1, lua: APPEND_SCRIPT });
  const subscriber = createRedisConnection(options.redisUrl, `wiu-events-sub:${prefix}`, 'blocking');
  const outages = watchRedisOutages(writer, { onError: report, ...(options.onRecovered && { onRecovered: options.onRecovered }) });
  writer.on('error', (error: Error) => outages.error(error));
  const subscriberOutages = watchRedisOutages(subscriber, { onError: report });
  subscriber.on('error', (error: Error) => subscriberOutages.error(error));

  const streamKey = (customerId: string) => `${prefix}:events:${customerId}`;
  const channelOf = (customerId: string) => `${prefix}:events:live:${customerId}`;
  const channelPrefix = `${prefix}:events:live:`;
  /** Per customer with open streams here: its listeners and the subscription they share. */
  const followed = new Map<string, { listeners: Set<Follower>; subscribed: Promise<unknown> }>();

  // ioredis resubscribes after a reconnect, but what was published meanwhile never arrives: the streams end,
  // and their clients resume from the window with Last-Event-ID.
  subscriber.on('close', () => {
    for (const entry of followed.values()) {
      for (const follower of [...entry.listeners]) follower.lost();
    }
  });

  subscriber.on('message', (channel: string, message: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    const customerId = channel.slice(channelPrefix.length);
    const entry = followed.get(customerId);
    if (entry === undefined) return;
    const space = message.indexOf(' ');
    if (space === -1) return;
    const streamId = message.slice(0, space);
    let event: PublishedEvent;
    try {
      event = published(customerId, message.slice(space + 1));
    } catch (error) {
      report(error as Error);
      return;
    }
    for (const follower of [...entry.listeners]) {
      try {
        follower.deliver(streamId, event);
      } catch {
        // A failing stream is its own problem; the others still get the event.
      }
    }
  });

  function follow(customerId: string, listener: Follower): { subscribed: Promise<unknown>; stop: () => void } {
    let entry = followed.get(customerId);
    if (entry === undefined) {
      const subscribed = subscriber.subscribe(channelOf(customerId));
      subscribed.catch(() => undefined);
      entry = { listeners: new Set(), subscribed };
      followed.set(customerId, entry);
    }
    const current = entry;
    current.listeners.add(listener);
    return {
      subscribed: current.subscribed,
      stop: () => {
        if (!current.listeners.delete(listener) || current.listeners.size > 0) return;
        if (followed.get(customerId) !== current) return;
        followed.delete(customerId);
        // A later follow subscribes again on the same connection, after this, so it ends subscribed.
        subscriber.unsubscribe(channelOf(customerId)).catch(() => undefined);
      },
    };
  }

  async function readBacklog(customerId: string, lastEventId: string): Promise<{ backlog: PublishedEvent[] | null; upTo: string | null }> {
    const entries = (await withDeadline(writer.xrange(streamKey(customerId), '-', '+'), openTimeoutMs, 'reading the event window')) as Array<
      [string, string[]]
    >;
    const upTo = entries.length === 0 ? null : entries[entries.length - 1]![0];
    const index = entries.findIndex(([, fields]) => field(fields, 'e') === lastEventId);
    if (index === -1) return { backlog: null, upTo };
    return { backlog: entries.slice(index + 1).map(([, fields]) => published(customerId, field(fields, 'b') ?? '')), upTo };
  }

  return {
    async open(customerId, lastEventId) {
      const held: Array<[string, PublishedEvent]> = [];
      let deliver: Listener = (streamId, event) => {
        // Bounded: a stream listens right after open resolves; this only guards a stuck caller.
        if (held.length < window) held.push([streamId, event]);
      };
      let lost = false;
      let onLost: () => void = () => void (lost = true);
      const following = follow(customerId, { deliver: (streamId, event) => deliver(streamId, event), lost: () => onLost() });
      let backlog: PublishedEvent[] | null | undefined;
      let upTo: string | null = null;
      try {
        await withDeadline(following.subscribed, openTimeoutMs, 'subscribing to live events');
        if (lastEventId !== null) ({ backlog, upTo } = await readBacklog(customerId, lastEventId));
      } catch (error) {
        following.stop();
        report(error as Error);
        throw new DomainError('unavailable', 'The event stream cannot reach Redis; retry shortly.', {
          reason: 'event_feed_unavailable',
          retry_after_seconds: 1,
        });
      }
      let closed = false;
      const fresh = (streamId: string) => upTo === null || streamIdAfter(streamId, upTo);
      const opened: OpenedEventFeed = {
        backlog,
        listen(listener, whenLost) {
          deliver = (streamId, event) => {
            if (!closed && fresh(streamId)) listener(event);
          };
          for (const [streamId, event] of held.splice(0)) deliver(streamId, event);
          onLost = () => {
            if (closed) return;
            opened.close();
            whenLost?.();
          };
          if (lost) onLost();
        },
        close() {
          if (closed) return;
          closed = true;
          following.stop();
        },
      };
      return opened;
    },
    publish(event) {
      writer
        .wiuAppendEvent(streamKey(event.customerId), channelOf(event.customerId), window, idleMs, event.envelope.event_id, event.body)
        .catch((error: Error) => outages.error(error));
    },
    async close() {
      // Closing is not losing: the streams were ended before (or end with the process).
      followed.clear();
      await Promise.all([closeRedisConnection(subscriber), closeRedisConnection(writer)]);
    },
  };
}

function field(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

function published(customerId: string, body: string): PublishedEvent {
  return { customerId, body, envelope: JSON.parse(body) as PublishedEvent['envelope'] };
}
