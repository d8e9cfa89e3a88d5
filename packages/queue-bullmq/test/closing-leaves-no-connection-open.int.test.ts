import { expect, it } from 'vitest';
import { describeWithRedis, testRedisUrl, uniqueRedisPrefix, until } from '@whatisup/test-infra';
import { createBullmqJobQueue, createRedisHostGate } from '../src/index.js';
import { connectedClientNames, deleteKeysWithPrefix } from './redis-test-keys.js';

const connectionsOf = async (prefix: string) =>
  (await connectedClientNames(testRedisUrl(), 'wiu-')).filter((name) => name.includes(prefix));

describeWithRedis('closing', () => {
  it('quits every Redis connection of the queue, its workers and the host gate, even with a stuck job', async () => {
    const prefix = uniqueRedisPrefix('close');
    const queue = createBullmqJobQueue({ redisUrl: testRedisUrl(), name: 'closing', prefix, closeTimeoutMs: 200 });
    const gate = createRedisHostGate({ redisUrl: testRedisUrl(), prefix, limit: 4, leaseMs: 1_000 });
    const started = new Set<string>();
    let unstick!: () => void;
    const stuck = new Promise<void>((resolve) => (unstick = resolve));
    const handler = async (job: { id: string }) => {
      started.add(job.id);
      if (job.id === 'stuck') await stuck;
    };
    queue.startWorker(handler, { concurrency: 2 });
    queue.startWorker(handler, { concurrency: 1 });
    await queue.enqueue([{ id: 'a' }, { id: 'b' }, { id: 'stuck' }]);
    await gate.release((await gate.tryAcquire('h.example'))!);
    await until(() => started.size === 3, { message: 'the jobs to start' });
    // queue + 2 workers (each a connection and BullMQ's blocking duplicate) + gate
    expect((await connectionsOf(prefix)).length).toBeGreaterThanOrEqual(4);

    await Promise.all([queue.close(), gate.close()]);
    await until(async () => (await connectionsOf(prefix)).length === 0, { message: 'every connection to be gone', timeoutMs: 2_000 });
    unstick();
    await deleteKeysWithPrefix(testRedisUrl(), prefix);
  });
});
