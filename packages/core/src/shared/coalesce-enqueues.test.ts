import { describe, expect, it } from 'vitest';
import { coalesceEnqueues } from './coalesce-enqueues.js';
import type { JobQueue, JobRequest } from './job-queue.js';

function recordingQueue(fail?: Error) {
  const batches: JobRequest[][] = [];
  const queue: JobQueue = {
    async enqueue(jobs) {
      batches.push([...jobs]);
      if (fail) throw fail;
    },
    isHeld: async () => false,
    startWorker: () => ({ close: async () => undefined }) as never,
    close: async () => undefined,
  };
  return { queue, batches };
}

describe('coalesceEnqueues', () => {
  it('sends the calls of one turn as one enqueue with one request per id, and each caller hears when it is recorded', async () => {
    const { queue, batches } = recordingQueue();
    const coalesced = coalesceEnqueues(queue);
    const calls = [
      coalesced.enqueue([{ id: 'outbox:a', data: { customerId: 'c1' } }]),
      coalesced.enqueue([{ id: 'outbox:a', data: { customerId: 'c2' } }]),
      coalesced.enqueue([{ id: 'outbox:b', delayMs: 500 }, { id: 'outbox:b', delayMs: 100 }]),
      coalesced.enqueue([{ id: 'sweep:x', onlyIfAbsent: true }, { id: 'outbox:c', onlyIfAbsent: true }]),
      coalesced.enqueue([{ id: 'outbox:c' }]),
    ];
    expect(batches).toHaveLength(0); // nothing leaves before the turn ends
    await Promise.all(calls);
    expect(batches).toEqual([
      [
        { id: 'outbox:a', data: { customerId: 'c2' } },
        { id: 'outbox:b', delayMs: 100 },
        { id: 'sweep:x', onlyIfAbsent: true },
        { id: 'outbox:c' },
      ],
    ]);
    await coalesced.enqueue([{ id: 'outbox:a' }]);
    expect(batches).toHaveLength(2); // a later turn is a batch of its own
  });

  it('rejects every caller of a batch that failed, and sends nothing for an empty call', async () => {
    const { queue, batches } = recordingQueue(new Error('redis is down'));
    const coalesced = coalesceEnqueues(queue);
    await coalesced.enqueue([]);
    expect(batches).toHaveLength(0);
    const results = await Promise.allSettled([coalesced.enqueue([{ id: 'a' }]), coalesced.enqueue([{ id: 'b' }])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(batches).toEqual([[{ id: 'a' }, { id: 'b' }]]);
  });
});
