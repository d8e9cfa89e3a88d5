/*
 * The per-host gate inside one process: for each host, its leases (token → expiry). Acquiring purges the
 * host's expired leases, counts, and adds, all synchronously, so concurrent acquirers never overshoot the
 * limit. An expired lease stops counting as in the Redis gate. Memory stays bounded by the hosts in flight:
 * a host with no live lease is forgotten, and every `SWEEP_EVERY` acquisitions the whole map is swept of
 * leases that expired without a release.
 */
import { randomUUID } from 'node:crypto';
import type { HostGate, HostLease } from '@whatisup/core';

export interface InProcessHostGateOptions {
  /** Most requests in flight per host (WEBHOOK_MAX_PER_HOST, default 4). */
  readonly limit: number;
  /** How long a slot counts without a release; keep it above the longest request (e.g. 2 × timeout). */
  readonly leaseMs: number;
}

const SWEEP_EVERY = 1_000;

export function createInProcessHostGate(options: InProcessHostGateOptions): HostGate {
  if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('limit must be a positive integer');
  if (!Number.isInteger(options.leaseMs) || options.leaseMs < 1) throw new RangeError('leaseMs must be a positive integer');
  const leases = new Map<string, Map<string, number>>();
  let acquisitions = 0;

  function purge(host: string, held: Map<string, number>, now: number): void {
    for (const [token, expiresAt] of held) if (expiresAt <= now) held.delete(token);
    if (held.size === 0) leases.delete(host);
  }

  return {
    async tryAcquire(host) {
      const now = Date.now();
      if (++acquisitions % SWEEP_EVERY === 0) for (const [other, held] of leases) purge(other, held, now);
      const held = leases.get(host) ?? new Map<string, number>();
      purge(host, held, now);
      if (held.size >= options.limit) return null;
      const lease: HostLease = { host, token: randomUUID(), expiresAt: new Date(now + options.leaseMs) };
      held.set(lease.token, lease.expiresAt.getTime());
      leases.set(host, held);
      return lease;
    },
    async release(lease) {
      const held = leases.get(lease.host);
      if (!held) return;
      held.delete(lease.token);
      if (held.size === 0) leases.delete(lease.host);
    },
  };
}
