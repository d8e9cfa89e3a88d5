import { describe, expect, it } from 'vitest';
import { jobRetryDelayMs } from '../shared/index.js';
import { describeJobQueueContract } from './contracts/job-queue.contract.js';
import { createInMemoryJobQueue } from './in-memory-job-queue.js';

describeJobQueueContract('in-memory', async (options) => createInMemoryJobQueue(options));

describe('jobRetryDelayMs', () => {
  it('doubles the wait after each failed attempt up to the cap', () => {
    const policy = { attempts: 10, baseDelayMs: 1_000, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => jobRetryDelayMs(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('stays finite for absurd attempt numbers', () => {
    expect(jobRetryDelayMs(10_000, { attempts: 1, baseDelayMs: 1_000, maxDelayMs: 5_000 })).toBe(5_000);
  });
});
