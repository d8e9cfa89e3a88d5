/*
 * Kept-alive connections, reused only where the check of the request at hand would have allowed the connect.
 *
 * Every exchange still checks its URL with a fresh resolution (pinned-exchange.ts). A connection is then taken
 * from the idle ones made for exactly that check's outcome: the same origin and the same set of approved
 * addresses. Its peer was verified against that set when it connected (pinned-connector.ts), and that set was
 * just approved again, so reusing it reaches nothing a new connect could not. A name that now resolves
 * elsewhere gets other connections; the old ones idle out.
 *
 * One undici `Client` is one connection (no pipelining), so the peer address a response came from is the
 * address its Client last connected to. A Client goes back to the idle list only after its response was read
 * to the end; anything else (a body abandoned at the read bound, a deadline, an error) destroys it.
 *
 * Idle connections close after `idleMs` (2 s by default: shorter than the keep-alive timeouts servers commonly
 * use, 5 s in Node, so we rarely send on a socket the receiver is closing at that moment; a request lost that
 * way is a failed attempt, retried like any other). The idle lists are bounded: `maxIdlePerOrigin` per
 * origin and address set, and `maxOrigins` sets in all, the least recently used dropped first.
 */
import { Client } from 'undici';
import type { ConnectionOptions } from 'node:tls';
import type { CheckedTarget } from './check-target.js';
import { createPinnedConnector } from './pinned-connector.js';

export interface PinnedConnectionsOptions {
  readonly connectTimeoutMs: number;
  readonly tls?: Pick<ConnectionOptions, 'ca'>;
  /** How long an unused connection stays open; 0 closes each after its exchange. Default 2,000 ms. */
  readonly idleMs?: number;
  /** Idle connections kept per origin and address set. Default 16. */
  readonly maxIdlePerOrigin?: number;
  /** Origins (with their address sets) that keep idle connections. Default 256. */
  readonly maxOrigins?: number;
}

/** One connection, pinned to the addresses approved for it. */
export interface PinnedClient {
  readonly client: Client;
  /** The address the connection went to ('' until it connected). */
  readonly address: () => string;
}

export interface PinnedConnections {
  /** An idle connection for the target's origin and approved addresses, or a new one. */
  take(target: CheckedTarget, timeoutMs: number): PinnedClient;
  /** `reusable`: its response was read to the end and nothing went wrong; otherwise it is destroyed. */
  giveBack(connection: PinnedClient, reusable: boolean): Promise<void>;
}

export const DEFAULT_IDLE_MS = 2_000;

interface Idle {
  readonly connection: PinnedClient;
  readonly since: number;
}

export function createPinnedConnections(options: PinnedConnectionsOptions): PinnedConnections {
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const maxIdlePerOrigin = options.maxIdlePerOrigin ?? 16;
  const maxOrigins = options.maxOrigins ?? 256;
  // key → idle connections, oldest first; Map order is recency of use, least recent first.
  const idle = new Map<string, Idle[]>();
  const keys = new WeakMap<PinnedClient, string>();

  const keyOf = (target: CheckedTarget): string => `${target.url.origin} ${[...target.addresses].sort().join(',')}`;
  const destroy = (connection: PinnedClient): Promise<void> => connection.client.destroy().catch(() => undefined);

  const dropStale = (key: string, list: Idle[], now: number): void => {
    while (list.length > 0 && now - list[0]!.since >= idleMs) void destroy(list.shift()!.connection);
    if (list.length === 0) idle.delete(key);
  };
  let sweptAt = 0;
  /** The idle lists of origins no longer asked for are emptied at most once per idle time. */
  const sweep = (now: number): void => {
    if (now - sweptAt < idleMs) return;
    sweptAt = now;
    for (const [key, list] of idle) dropStale(key, list, now);
  };

  return {
    take(target, timeoutMs) {
      const key = keyOf(target);
      const now = Date.now();
      sweep(now);
      const list = idle.get(key);
      if (list !== undefined) dropStale(key, list, now);
      const reused = list?.pop();
      if (reused !== undefined) return reused.connection;
      let address = '';
      const connect = createPinnedConnector({
        ...target,
        connectTimeoutMs: Math.min(options.connectTimeoutMs, timeoutMs),
        tls: options.tls,
        onConnected: (peer) => (address = peer),
      });
      const client = new Client(target.url.origin, { connect, ...(idleMs > 0 && { keepAliveTimeout: idleMs, keepAliveMaxTimeout: idleMs }) });
      const connection: PinnedClient = { client, address: () => address };
      keys.set(connection, key);
      return connection;
    },

    async giveBack(connection, reusable) {
      const key = keys.get(connection);
      if (!reusable || key === undefined || idleMs === 0) return destroy(connection);
      const list = idle.get(key) ?? [];
      idle.delete(key); // re-inserted last: most recently used
      list.push({ connection, since: Date.now() });
      if (list.length > maxIdlePerOrigin) void destroy(list.shift()!.connection);
      idle.set(key, list);
      if (idle.size > maxOrigins) {
        const [oldestKey, oldest] = idle.entries().next().value as [string, Idle[]];
        idle.delete(oldestKey);
        for (const entry of oldest) void destroy(entry.connection);
      }
    },
  };
}
