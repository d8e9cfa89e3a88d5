/*
 * The per-host gate inside one process: for each host, its leases (token → expiry). Acquiring purges the
 * host's expired leases, counts, and adds, all synchronously, so concurrent acquirers never overshoot the
 * limit. An expired lease stops counting as in the Redis gate. Memory stays bounded by the hosts in flight:
 * a host with no live lease is forgotten, and every `SWEEP_EVERY` acquisitions the whole map is swept of
 * leases that expired without a release.
 *
 * Waiters: per host, the names refused while it was full, with their places, in arrival order (a name keeps
 * its first place). A release hands out as many as there are free slots; a grant takes its waiter off the
 * list. A name handed out keeps its place for a lease-length: refused again (a job that never waited took
 * the slot first), it goes back to that place, not to the end. Everything runs synchronously between awaits,
 * so a waiter is always recorded before the release that frees its slot can run. A wait list is dropped once
 * emptied; kept places are dropped when they expire (at their host's next release, or the sweep).
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
  /** host → waiting name → its place; a Map in place order (see `wait`). */
  const waiting = new Map<string, Map<string, number>>();
  /** host → name a release handed out → its place, and until when it is kept. */
  const handedOut = new Map<string, Map<string, { readonly place: number; readonly until: number }>>();
  let arrivals = 0;
  let acquisitions = 0;

  function purge(host: string, held: Map<string, number>, now: number): void {
    for (const [token, expiresAt] of held) if (expiresAt <= now) held.delete(token);
    if (held.size === 0) leases.delete(host);
  }

  function forgetExpiredPlaces(host: string, kept: Map<string, { readonly until: number }>, now: number): void {
    for (const [name, { until }] of kept) if (until <= now) kept.delete(name);
    if (kept.size === 0) handedOut.delete(host);
  }

  /** Takes `name`'s kept place off the handed-out list: the place while still kept, else undefined. */
  function takeKeptPlace(host: string, name: string, now: number): number | undefined {
    const kept = handedOut.get(host);
    const entry = kept?.get(name);
    if (entry === undefined) return undefined;
    kept!.delete(name);
    if (kept!.size === 0) handedOut.delete(host);
    return entry.until > now ? entry.place : undefined;
  }

  /** Puts `name` on `host`'s list: a new arrival at the end, a kept place where it belongs. */
  function wait(host: string, name: string, now: number): void {
    const queue = waiting.get(host) ?? new Map<string, number>();
    waiting.set(host, queue);
    if (queue.has(name)) return;
    const kept = takeKeptPlace(host, name, now);
    if (kept === undefined) {
      queue.set(name, ++arrivals);
      return;
    }
    // A Map keeps insertion order: rebuild it with the name in its place (a lost race only, so rare).
    const reordered = new Map<string, number>();
    for (const [other, place] of queue) {
      if (!reordered.has(name) && place > kept) reordered.set(name, kept);
      reordered.set(other, place);
    }
    if (!reordered.has(name)) reordered.set(name, kept);
    waiting.set(host, reordered);
  }

  return {
    async tryAcquire(host, waiter) {
      const now = Date.now();
      if (++acquisitions % SWEEP_EVERY === 0) {
        for (const [other, held] of leases) purge(other, held, now);
        for (const [other, kept] of handedOut) forgetExpiredPlaces(other, kept, now);
      }
      const held = leases.get(host) ?? new Map<string, number>();
      purge(host, held, now);
      if (held.size >= options.limit) {
        if (waiter !== undefined) wait(host, waiter, now);
        return null;
      }
      if (waiter !== undefined) {
        const queue = waiting.get(host);
        queue?.delete(waiter);
        if (queue?.size === 0) waiting.delete(host);
        takeKeptPlace(host, waiter, now);
      }
      const lease: HostLease = { host, token: randomUUID(), expiresAt: new Date(now + options.leaseMs) };
      held.set(lease.token, lease.expiresAt.getTime());
      leases.set(host, held);
      return lease;
    },
    async release(lease) {
      const now = Date.now();
      const held = leases.get(lease.host) ?? new Map<string, number>();
      held.delete(lease.token);
      purge(lease.host, held, now);
      const kept = handedOut.get(lease.host) ?? new Map<string, { readonly place: number; readonly until: number }>();
      forgetExpiredPlaces(lease.host, kept, now);
      const queue = waiting.get(lease.host);
      if (queue === undefined) return [];
      const woken: string[] = [];
      for (const [name, place] of queue) {
        if (woken.length >= options.limit - held.size) break;
        woken.push(name);
        kept.set(name, { place, until: now + options.leaseMs });
      }
      for (const name of woken) queue.delete(name);
      if (kept.size > 0) handedOut.set(lease.host, kept);
      if (queue.size === 0) waiting.delete(lease.host);
      return woken;
    },
  };
}
