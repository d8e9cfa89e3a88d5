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

  const liveLeases = (host: string, now: number): Map<string, number> => {
    const leases = hosts.get(host) ?? new Map<string, number>();
    for (const [token, expiresAt] of leases) if (expiresAt <= now) leases.delete(token);
    hosts.set(host, leases);
    return leases;
  };

  return {
    async tryAcquire(host) {
      const now = clock.now().getTime();
      const leases = liveLeases(host, now);
      if (leases.size >= options.limit) return null;
      const lease: HostLease = { host, token: randomUUID(), expiresAt: new Date(now + options.leaseMs) };
      leases.set(lease.token, lease.expiresAt.getTime());
      return lease;
    },
    async release(lease) {
      const leases = hosts.get(lease.host);
      leases?.delete(lease.token);
      if (leases?.size === 0) hosts.delete(lease.host);
    },
  };
}
