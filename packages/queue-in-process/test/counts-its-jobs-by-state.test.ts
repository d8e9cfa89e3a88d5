import { until } from '@whatisup/test-infra';
import { afterEach, expect, it } from 'vitest';
import { createInProcessJobQueue, type InProcessJobQueue } from '../src/index.js';

let queue: InProcessJobQueue | undefined;
afterEach(async () => {
  await queue?.close();
});

it('counts waiting, delayed and active jobs, as the BullMQ adapter does (for metrics)', async () => {
  const opened = createInProcessJobQueue();
  queue = opened;
  expect(await opened.jobCounts()).toEqual({ waiting: 0, delayed: 0, active: 0 });
  await opened.enqueue([{ id: 'now-1' }, { id: 'now-2' }, { id: 'later', delayMs: 60_000 }]);
  expect(await opened.jobCounts()).toEqual({ waiting: 2, delayed: 1, active: 0 });

  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  opened.startWorker(() => held.then(() => undefined), { concurrency: 1, onError: () => undefined });
  await until(async () => (await opened.jobCounts()).active === 1, { message: 'one active job' });
  expect(await opened.jobCounts()).toEqual({ waiting: 1, delayed: 1, active: 1 });
  release();
  await until(async () => (await opened.jobCounts()).waiting === 0 && (await opened.jobCounts()).active === 0, {
    message: 'the held jobs to finish',
  });
  expect(await opened.jobCounts()).toEqual({ waiting: 0, delayed: 1, active: 0 });
});
