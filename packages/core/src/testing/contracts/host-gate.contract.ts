import { describe, expect, it } from 'vitest';
import type { HostGate, HostLease } from '../../webhooks/index.js';
import { sleep } from '../wait.js';

/** A fresh gate for one test (its own key space); the factory's owner closes and cleans it up. */
export type HostGateFactory = (options: { readonly limit: number; readonly leaseMs: number }) => Promise<HostGate>;

async function acquireAll(gate: HostGate, host: string, attempts: number): Promise<HostLease[]> {
  const results = await Promise.all(Array.from({ length: attempts }, () => gate.tryAcquire(host)));
  return results.filter((lease): lease is HostLease => lease !== null);
}

/** The behaviour every `HostGate` must have. */
export function describeHostGateContract(name: string, factory: HostGateFactory): void {
  describe(`HostGate contract: ${name}`, () => {
    it('grants leases up to the limit, then refuses', async () => {
      const gate = await factory({ limit: 2, leaseMs: 10_000 });
      const first = await gate.tryAcquire('a.example');
      const second = await gate.tryAcquire('a.example');
      expect(first).not.toBeNull();
      expect(second).not.toBeNull();
      expect(first!.token).not.toBe(second!.token);
      expect(await gate.tryAcquire('a.example')).toBeNull();
    });

    it('describes a lease: its host and when it expires', async () => {
      const gate = await factory({ limit: 1, leaseMs: 10_000 });
      const before = Date.now();
      const lease = await gate.tryAcquire('b.example');
      expect(lease?.host).toBe('b.example');
      expect(lease!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 10_000 - 1_000);
      expect(lease!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 10_000 + 1_000);
    });

    it('counts each host separately', async () => {
      const gate = await factory({ limit: 1, leaseMs: 10_000 });
      expect(await gate.tryAcquire('slow.example')).not.toBeNull();
      expect(await gate.tryAcquire('slow.example')).toBeNull();
      expect(await gate.tryAcquire('fast.example')).not.toBeNull();
    });

    it('frees a slot on release, and a second release of the same lease frees nothing more', async () => {
      const gate = await factory({ limit: 2, leaseMs: 10_000 });
      const first = (await gate.tryAcquire('c.example'))!;
      await gate.tryAcquire('c.example');
      await gate.release(first);
      const third = await gate.tryAcquire('c.example');
      expect(third).not.toBeNull();
      await gate.release(first);
      expect(await gate.tryAcquire('c.example')).toBeNull();
    });

    it('grants exactly the limit to 50 concurrent acquirers', async () => {
      const gate = await factory({ limit: 4, leaseMs: 10_000 });
      expect(await acquireAll(gate, 'busy.example', 50)).toHaveLength(4);
    });

    it('never lets more than the limit be in flight while acquirers come and go', async () => {
      const gate = await factory({ limit: 4, leaseMs: 10_000 });
      let inFlight = 0;
      let maxInFlight = 0;
      let granted = 0;
      const acquirer = async () => {
        for (let round = 0; round < 15; round++) {
          const lease = await gate.tryAcquire('shared.example');
          if (!lease) {
            await sleep(1);
            continue;
          }
          granted += 1;
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await sleep(2);
          inFlight -= 1;
          await gate.release(lease);
        }
      };
      await Promise.all(Array.from({ length: 20 }, acquirer));
      expect(maxInFlight).toBe(4);
      expect(granted).toBeGreaterThan(4);
    });

    it('hands a freed slot to the longest waiter at once: the release returns it, nobody polls', async () => {
      const gate = await factory({ limit: 1, leaseMs: 10_000 });
      const held = (await gate.tryAcquire('e.example'))!;
      expect(await gate.tryAcquire('e.example', 'first')).toBeNull();
      expect(await gate.tryAcquire('e.example', 'second')).toBeNull();
      expect(await gate.release(held)).toEqual(['first']);
      const granted = (await gate.tryAcquire('e.example', 'first'))!;
      expect(granted).not.toBeNull();
      expect(await gate.release(granted)).toEqual(['second']);
      const last = (await gate.tryAcquire('e.example', 'second'))!;
      expect(await gate.release(last)).toEqual([]);
    });

    it('keeps a waiter once, in its first place, and takes it off the list when it is granted a slot', async () => {
      const gate = await factory({ limit: 1, leaseMs: 10_000 });
      const held = (await gate.tryAcquire('f.example'))!;
      await gate.tryAcquire('f.example', 'early');
      await gate.tryAcquire('f.example', 'late');
      await gate.tryAcquire('f.example', 'early');
      expect(await gate.release(held)).toEqual(['early']);
      // 'late' was woken by nothing but finds the slot free: granted, it leaves the list.
      const late = (await gate.tryAcquire('f.example', 'late'))!;
      expect(late).not.toBeNull();
      expect(await gate.release(late)).toEqual([]);
    });

    it('wakes as many waiters as there are free slots, and none while the host stays full', async () => {
      const gate = await factory({ limit: 2, leaseMs: 10_000 });
      const [first, second] = await acquireAll(gate, 'g.example', 2);
      for (const name of ['a', 'b', 'c', 'd']) expect(await gate.tryAcquire('g.example', name)).toBeNull();
      expect(await gate.release(first!)).toEqual(['a']);
      const third = (await gate.tryAcquire('g.example'))!;
      expect(await gate.release(first!)).toEqual([]); // frees nothing: the host is still full
      expect(await gate.release(third)).toEqual(['b']);
      expect(await gate.release(second!)).toEqual(['c', 'd']); // two free slots now, two woken
    });

    it('wakes waiters in arrival order, even several arriving in one millisecond with names in reverse order', async () => {
      const gate = await factory({ limit: 1, leaseMs: 10_000 });
      let lease = (await gate.tryAcquire('o.example'))!;
      const names = ['zulu', 'yankee', 'xray', 'whiskey', 'victor'];
      await Promise.all(names.map((name) => gate.tryAcquire('o.example', name)));
      const woken: string[] = [];
      for (const name of names) {
        woken.push(...(await gate.release(lease)));
        lease = (await gate.tryAcquire('o.example', name))!;
      }
      expect(woken).toEqual(names);
    });

    it('puts a woken waiter that lost the freed slot to a newcomer back in its own place, not at the end', async () => {
      const gate = await factory({ limit: 1, leaseMs: 10_000 });
      const held = (await gate.tryAcquire('p.example'))!;
      expect(await gate.tryAcquire('p.example', 'first')).toBeNull();
      expect(await gate.tryAcquire('p.example', 'second')).toBeNull();
      expect(await gate.release(held)).toEqual(['first']);
      // A job that never waited takes the slot before the woken one comes for it.
      const newcomer = (await gate.tryAcquire('p.example'))!;
      expect(newcomer).not.toBeNull();
      expect(await gate.tryAcquire('p.example', 'first')).toBeNull();
      expect(await gate.release(newcomer)).toEqual(['first']);
      const granted = (await gate.tryAcquire('p.example', 'first'))!;
      expect(await gate.release(granted)).toEqual(['second']);
    });

    it('keeps the wait lists of hosts apart', async () => {
      const gate = await factory({ limit: 1, leaseMs: 10_000 });
      const one = (await gate.tryAcquire('h1.example'))!;
      const two = (await gate.tryAcquire('h2.example'))!;
      await gate.tryAcquire('h1.example', 'for-h1');
      await gate.tryAcquire('h2.example', 'for-h2');
      expect(await gate.release(two)).toEqual(['for-h2']);
      expect(await gate.release(one)).toEqual(['for-h1']);
    });

    it('reclaims the slots of leases that expired without a release (a crashed worker)', async () => {
      const gate = await factory({ limit: 4, leaseMs: 150 });
      expect(await acquireAll(gate, 'crashy.example', 4)).toHaveLength(4);
      expect(await gate.tryAcquire('crashy.example')).toBeNull();
      await sleep(250);
      expect(await acquireAll(gate, 'crashy.example', 10)).toHaveLength(4);
    });

    it('ignores the release of an expired lease: it cannot free a slot someone else now holds', async () => {
      const gate = await factory({ limit: 1, leaseMs: 150 });
      const old = (await gate.tryAcquire('d.example'))!;
      await sleep(250);
      expect(await gate.tryAcquire('d.example')).not.toBeNull();
      await gate.release(old);
      expect(await gate.tryAcquire('d.example')).toBeNull();
    });
  });
}
