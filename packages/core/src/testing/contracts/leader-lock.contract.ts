import { describe, expect, it } from 'vitest';
import type { LeaderLock } from '../../shared/index.js';
import { newId } from '../../shared/index.js';
import { useContractSubject } from './use-contract-subject.js';

/** Two handles on one lock space (two processes), and how to clean up. */
export interface LeaderLockSubject {
  readonly first: LeaderLock;
  readonly second: LeaderLock;
  readonly cleanup?: (() => Promise<void>) | undefined;
}

/** The behaviour every `LeaderLock` must have. */
export function describeLeaderLockContract(name: string, setup: () => Promise<LeaderLockSubject>): void {
  describe(`LeaderLock contract: ${name}`, () => {
    const subject = useContractSubject(setup);

    it('lets the other process skip a run while one holds the lock, and run once it is released', async () => {
      const { first, second } = subject();
      const job = newId('request');
      const whileHeld = await first.run(job, () => second.run(job, async () => 'second ran'));
      expect(whileHeld).toEqual({ led: true, result: { led: false } });
      expect(await second.run(job, async () => 'second ran')).toEqual({ led: true, result: 'second ran' });
    });

    it('makes exactly one of two simultaneous runs lead', async () => {
      const { first, second } = subject();
      const job = newId('request');
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const a = first.run(job, () => held);
      const b = second.run(job, () => held);
      // The leader holds the lock until released, so the other one answers first, having found it held.
      expect(await Promise.race([a, b])).toEqual({ led: false });
      release();
      expect([(await a).led, (await b).led].sort()).toEqual([false, true]);
    });

    it('keeps locks of different names apart', async () => {
      const { first, second } = subject();
      const result = await first.run(newId('request'), () => second.run(newId('request'), async () => 42));
      expect(result).toEqual({ led: true, result: { led: true, result: 42 } });
    });

    it('releases the lock when the work throws, and rethrows', async () => {
      const { first, second } = subject();
      const job = newId('request');
      await expect(first.run(job, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await second.run(job, async () => 'ran')).toEqual({ led: true, result: 'ran' });
    });
  });
}
