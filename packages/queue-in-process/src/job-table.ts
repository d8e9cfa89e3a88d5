/*
 * The live jobs of one in-process queue, one per id, and when each becomes runnable. This is the state the
 * BullMQ adapter keeps in Redis; here it is a Map, so every transition is atomic by running synchronously
 * on the event loop. Delays use one unref'd timer per delayed job (the timer never keeps the process alive).
 * A job's `runToken` changes whenever it is handed to a run, so the late result of an abandoned run (its
 * worker closed on timeout) is recognised and ignored.
 */
import type { JobRequest } from '@whatisup/core';

export type JobState = 'waiting' | 'delayed' | 'active';

export interface LiveJob {
  readonly id: string;
  data: Readonly<Record<string, string>>;
  state: JobState;
  /** Runs that threw so far; the next run's attempt is this + 1. */
  failures: number;
  dueAt: number;
  timer?: NodeJS.Timeout;
  runToken: number;
  /** A wake that arrived while active: one more run after this one, `delayMs` after it ends. */
  rewake?: { delayMs: number; data: Readonly<Record<string, string>> };
}

export interface JobTableOptions {
  readonly maxJobs: number;
  /** Called when a job becomes runnable (state `waiting`). */
  readonly onRunnable: (job: LiveJob) => void;
  /** Called with the id of a new job refused because the table is full. */
  readonly onDropped: (id: string) => void;
}

export function createJobTable(options: JobTableOptions) {
  const jobs = new Map<string, LiveJob>();

  function schedule(job: LiveJob, dueAt: number): void {
    clearTimeout(job.timer);
    job.timer = undefined;
    job.dueAt = dueAt;
    const wait = dueAt - Date.now();
    if (wait <= 0) {
      job.state = 'waiting';
      options.onRunnable(job);
      return;
    }
    job.state = 'delayed';
    job.timer = setTimeout(() => {
      job.timer = undefined;
      if (jobs.get(job.id) === job && job.state === 'delayed') {
        job.state = 'waiting';
        options.onRunnable(job);
      }
    }, wait);
    job.timer.unref();
  }

  function create(id: string, data: Readonly<Record<string, string>>, delayMs: number): void {
    if (jobs.size >= options.maxJobs) {
      options.onDropped(id);
      return;
    }
    const job: LiveJob = { id, data, state: 'delayed', failures: 0, dueAt: 0, runToken: 0 };
    jobs.set(id, job);
    schedule(job, Date.now() + delayMs);
  }

  return {
    get: (id: string) => jobs.get(id),
    has: (id: string) => jobs.has(id),
    schedule,

    /** Applies one request following the port's table: create, ignore, bring forward, or re-wake. */
    wake(request: JobRequest): void {
      const delayMs = Math.max(0, Math.floor(request.delayMs ?? 0));
      const data = request.data ?? {};
      const job = jobs.get(request.id);
      if (!job) return create(request.id, data, delayMs);
      if (request.onlyIfAbsent) return;
      if (job.state === 'active') {
        job.rewake = { delayMs, data };
      } else if (job.state === 'delayed' && Date.now() + delayMs < job.dueAt) {
        schedule(job, Date.now() + delayMs);
      }
    },

    /** The job's run ended: nothing more to do for it, unless a re-wake asked for another run. */
    finish(job: LiveJob): void {
      clearTimeout(job.timer);
      jobs.delete(job.id);
      if (job.rewake) create(job.id, job.rewake.data, job.rewake.delayMs);
    },

    /** Live jobs by state, for metrics. */
    counts(): Record<JobState, number> {
      const counts: Record<JobState, number> = { waiting: 0, delayed: 0, active: 0 };
      for (const job of jobs.values()) counts[job.state] += 1;
      return counts;
    },

    /** Forgets every job and timer (the queue is closing). */
    clear(): void {
      for (const job of jobs.values()) clearTimeout(job.timer);
      jobs.clear();
    },
  };
}

export type JobTable = ReturnType<typeof createJobTable>;
