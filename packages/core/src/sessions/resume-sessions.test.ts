import { describe, expect, it } from 'vitest';
import { anInstance } from '../testing/fixtures.js';
import type { Instance } from '../instances/index.js';
import { resumeSessions, type ResumeDeps } from './resume-sessions.js';

/**
 * The resume loop on its own: starts that finish only when the test lets them, so what overlaps and what
 * waits is visible without a clock.
 */
function aResume(rows: readonly Instance[], options: { concurrency?: number; maxSessions?: number; pauses?: number } = {}) {
  const pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  const live = new Set<string>();
  const pausedFor: number[] = [];
  let pausesLeft = options.pauses ?? Number.POSITIVE_INFINITY;
  let inFlight = 0;
  let mostInFlight = 0;
  const factory = { listInstancesWithCredentials: async () => rows.map((row) => row.id) };
  const deps: ResumeDeps = {
    uow: {} as ResumeDeps['uow'],
    factories: { whatsapp: factory, sandbox: factory } as unknown as ResumeDeps['factories'],
    instances: rows,
    invalidate: async () => true,
    transition: (async () => undefined) as unknown as ResumeDeps['transition'],
    start: (instance) => {
      live.add(instance.id);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      return new Promise<void>((resolve, reject) => {
        const done = () => (inFlight -= 1);
        pending.set(instance.id, {
          resolve: () => (done(), resolve()),
          reject: (error) => (done(), live.delete(instance.id), reject(error)),
        });
      });
    },
    isLive: (id) => live.has(id),
    hasCapacity: () => live.size < (options.maxSessions ?? Number.POSITIVE_INFINITY),
    intervalMs: 7,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    pause: async (ms) => {
      pausedFor.push(ms);
      pausesLeft -= 1;
      return pausesLeft >= 0;
    },
    onError: () => undefined,
  };
  return {
    deps,
    pending,
    pausedFor,
    get mostInFlight() {
      return mostInFlight;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('resumeSessions', () => {
  it('paces the starts, not their completions: later starts begin while earlier ones are still running', async () => {
    const rows = Array.from({ length: 4 }, () => anInstance('cust_1', { status: 'connected' }));
    const resume = aResume(rows, { concurrency: 8 });
    const report = resumeSessions(resume.deps);
    await settle();
    expect([...resume.pending.keys()]).toEqual(rows.map((row) => row.id));
    expect(resume.pausedFor).toEqual([7, 7, 7]);
    for (const { resolve } of resume.pending.values()) resolve();
    expect((await report).resumed.sort()).toEqual(rows.map((row) => row.id).sort());
    expect(resume.mostInFlight).toBe(4);
  });

  it('keeps at most `concurrency` starts in flight and starts the next as one finishes', async () => {
    const rows = Array.from({ length: 5 }, () => anInstance('cust_1', { status: 'connected' }));
    const resume = aResume(rows, { concurrency: 2 });
    const report = resumeSessions(resume.deps);
    await settle();
    expect(resume.pending.size).toBe(2);
    resume.pending.get(rows[0]!.id)!.reject(new Error('socket refused'));
    await settle();
    expect(resume.pending.size).toBe(3);
    for (const row of rows.slice(1)) {
      await settle();
      resume.pending.get(row.id)?.resolve();
    }
    await settle();
    for (const { resolve } of resume.pending.values()) resolve();
    const done = await report;
    expect(done.skipped).toEqual([rows[0]!.id]);
    expect(done.resumed.sort()).toEqual(rows.slice(1).map((row) => row.id).sort());
    expect(resume.mostInFlight).toBe(2);
  });

  it('skips the rows beyond the capacity, counting the starts still in flight', async () => {
    const rows = Array.from({ length: 3 }, () => anInstance('cust_1', { status: 'connected' }));
    const resume = aResume(rows, { maxSessions: 2 });
    const report = resumeSessions(resume.deps);
    await settle();
    for (const { resolve } of resume.pending.values()) resolve();
    const done = await report;
    expect(done.resumed).toHaveLength(2);
    expect(done.skipped).toEqual([rows[2]!.id]);
  });

  it('stops starting when cancelled and still waits for the starts in flight', async () => {
    const rows = Array.from({ length: 4 }, () => anInstance('cust_1', { status: 'connected' }));
    const resume = aResume(rows, { pauses: 1 });
    let finished = false;
    const report = resumeSessions(resume.deps).then((done) => ((finished = true), done));
    await settle();
    expect(resume.pending.size).toBe(2);
    expect(finished).toBe(false);
    for (const { resolve } of resume.pending.values()) resolve();
    const done = await report;
    expect(done.resumed).toHaveLength(2);
    expect(done.skipped).toEqual([rows[2]!.id, rows[3]!.id]);
  });
});
