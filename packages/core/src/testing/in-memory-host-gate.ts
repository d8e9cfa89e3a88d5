/*
 * The host-gate port in one process: leases with an expiry read from the injected clock, so tests can
 * move time instead of sleeping. Same contract as the Redis gate.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../shared/index.js';
import type { HostGate, HostLease } from '../webhooks/index.js';

export interface InMemoryHostGateOptions {
  /** Most leases held at once per host. */
  readonly limit: number;
  /** How long a lease counts when never released. */
  readonly leaseMs: number;
  readonly clock?: Clock;
}

export function createInMemoryHostGate(options: InMemoryHostGateOptions): HostGate {
  const clock = options.clock ?? systemClock;
  // host → token → expiry (epoch ms)
  const hosts = new Map<string, Map<string, number>>();
  // host → waiters refused while it was full → their place in arrival order
  const waiting = new Map<string, Map<string, number>>();
  // host → waiters a release handed out → their place, and until when it is kept for them
  const handedOut = new Map<string, Map<string, { place: number; until: number }>>();
  let arrivals = 0;

  const liveLeases = (host: string, now: number): Map<string, number> => {
    const leases = hosts.get(host) ?? new Map<string, number>();
    for (const [token, expiresAt] of leases) if (expiresAt <= now) leases.delete(token);
    hosts.set(host, leases);
    return leases;
  };

  /** Takes `waiter`'s kept place off the handed-out list: its place if still kept, else undefined. */
  const takeKeptPlace = (host: string, waiter: string, now: number): number | undefined => {
    const kept = handedOut.get(host);
    const entry = kept?.get(waiter);
    kept?.delete(waiter);
    if (kept?.size === 0) handedOut.delete(host);
    return entry !== undefined && entry.until > now ? entry.place : undefined;
  };

  return {
    async tryAcquire(host, waiter) {
      const now = clock.now().getTime();
      const leases = liveLeases(host, now);
      if (leases.size >= options.limit) {
        if (waiter !== undefined) {
          const queue = waiting.get(host) ?? new Map<string, number>();
          if (!queue.has(waiter)) queue.set(waiter, takeKeptPlace(host, waiter, now) ?? ++arrivals);
          waiting.set(host, queue);
        }
        return null;
      }
      if (waiter !== undefined) {
        waiting.get(host)?.delete(waiter);
        takeKeptPlace(host, waiter, now);
      }
      const lease: HostLease = { host, token: randomUUID(), expiresAt: new Date(now + options.leaseMs) };
      leases.set(lease.token, lease.expiresAt.getTime());
      return lease;
    },
    async release(lease) {
      const now = clock.now().getTime();
      const leases = liveLeases(lease.host, now);
      leases.delete(lease.token);
      if (leases.size === 0) hosts.delete(lease.host);
      const queue = waiting.get(lease.host);
      if (queue === undefined) return [];
      const woken = [...queue].sort(([, a], [, b]) => a - b).slice(0, Math.max(0, options.limit - leases.size));
      const kept = handedOut.get(lease.host) ?? new Map<string, { place: number; until: number }>();
      for (const [name, place] of woken) {
        queue.delete(name);
        kept.set(name, { place, until: now + options.leaseMs });
      }
      for (const [name, entry] of kept) if (entry.until <= now) kept.delete(name);
      if (kept.size > 0) handedOut.set(lease.host, kept);
      if (queue.size === 0) waiting.delete(lease.host);
      return woken.map(([name]) => name);
    },
  };
}
