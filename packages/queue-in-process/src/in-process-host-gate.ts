/*
 * The per-host gate inside one process: for each host, its leases (token → expiry). Acquiring purges the
 * host's expired leases, counts, and adds, all synchronously, so concurrent acquirers never overshoot the
 * limit. An expired lease stops counting as in the Redis gate. Memory stays bounded by the hosts in flight:
 * a host with no live lease is forgotten, and every `SWEEP_EVERY` acquisitions the whole map is swept of
 * leases that expired without a release.
 *
 * Waiters: per host, the names refused while it was full, in arrival order (a Set keeps a name's first
 * place). A release hands out as many as there are free slots; a grant takes its waiter off the list.
 * Everything runs synchronously between awaits, so a waiter is always recorded before the release that
 * frees its slot can run. A wait list is dropped when its host has no lease left and it has been emptied.
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
  const waiting = new Map<string, Set<string>>();
  let acquisitions = 0;

  function purge(host: string, held: Map<string, number>, now: number): void {
    for (const [token, expiresAt] of held) if (expiresAt <= now) held.delete(token);
    if (held.size === 0) leases.delete(host);
  }

  return {
    async tryAcquire(host, waiter) {
      const now = Date.now();
      if (++acquisitions % SWEEP_EVERY === 0) for (const [other, held] of leases) purge(other, held, now);
      const held = leases.get(host) ?? new Map<string, number>();
      purge(host, held, now);
      if (held.size >= options.limit) {
        if (waiter !== undefined) waiting.set(host, (waiting.get(host) ?? new Set<string>()).add(waiter));
        return null;
      }
      if (waiter !== undefined) waiting.get(host)?.delete(waiter);
      const lease: HostLease = { host, token: randomUUID(), expiresAt: new Date(now + options.leaseMs) };
      held.set(lease.token, lease.expiresAt.getTime());
      leases.set(host, held);
      return lease;
    },
    async release(lease) {
      const held = leases.get(lease.host) ?? new Map<string, number>();
      held.delete(lease.token);
      purge(lease.host, held, Date.now());
      const queue = waiting.get(lease.host);
      if (queue === undefined) return [];
      const woken = [...queue].slice(0, Math.max(0, options.limit - held.size));
      for (const name of woken) queue.delete(name);
      if (queue.size === 0) waiting.delete(lease.host);
      return woken;
    },
  };
}
