import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createQueueBackend } from './create-queue-backend.js';

describe('createQueueBackend (in-process)', () => {
  it('runs a job, limits a host and a customer without any Redis', async () => {
    const backend = createQueueBackend({ kind: 'in-process' }, pino({ level: 'silent' }));
    const queue = backend.jobQueue('webhook-deliveries', {});
    const ran = new Promise<string>((resolve) => {
      queue.startWorker(async (job) => resolve(job.id), { concurrency: 1 });
    });
    await queue.enqueue([{ id: 'dlv_1' }]);
    expect(await ran).toBe('dlv_1');
    await queue.close();

    const gate = backend.hostGate({ limit: 1, leaseMs: 1_000 });
    expect(await gate.tryAcquire('hooks.example')).not.toBeNull();
    expect(await gate.tryAcquire('hooks.example')).toBeNull();

    const limiter = backend.rateLimiter({ capacity: 1, refillPerSecond: 0.001 });
    expect((await limiter.take('cust_1')).allowed).toBe(true);
    expect((await limiter.take('cust_1')).allowed).toBe(false);
    await Promise.all([gate.close(), limiter.close()]);
  });
});
