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
  // host → waiters refused while it was full, in arrival order
  const waiting = new Map<string, Set<string>>();

  const liveLeases = (host: string, now: number): Map<string, number> => {
    const leases = hosts.get(host) ?? new Map<string, number>();
    for (const [token, expiresAt] of leases) if (expiresAt <= now) leases.delete(token);
    hosts.set(host, leases);
    return leases;
  };

  return {
    async tryAcquire(host, waiter) {
      const now = clock.now().getTime();
      const leases = liveLeases(host, now);
      if (leases.size >= options.limit) {
        if (waiter !== undefined) waiting.set(host, (waiting.get(host) ?? new Set<string>()).add(waiter));
        return null;
      }
      if (waiter !== undefined) waiting.get(host)?.delete(waiter);
      const lease: HostLease = { host, token: randomUUID(), expiresAt: new Date(now + options.leaseMs) };
      leases.set(lease.token, lease.expiresAt.getTime());
      return lease;
    },
    async release(lease) {
      const leases = liveLeases(lease.host, clock.now().getTime());
      leases.delete(lease.token);
      if (leases.size === 0) hosts.delete(lease.host);
      const queue = waiting.get(lease.host);
      if (queue === undefined) return [];
      const woken = [...queue].slice(0, Math.max(0, options.limit - leases.size));
      for (const name of woken) queue.delete(name);
      if (queue.size === 0) waiting.delete(lease.host);
      return woken;
    },
  };
}
