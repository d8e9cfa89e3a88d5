/*
 * A JobQueue whose `enqueue` calls made in one turn of the event loop go to the queue as ONE enqueue, with one
 * request per id. Under load many requests finish their commit in the same turn (each staged message wakes its
 * instance's outbox; each recorded event its deliveries), and every enqueue is a Redis round trip, plus one
 * more for an id whose job exists already. Coalescing them is safe because a caller asks only after its own
 * commit: the batch is sent after every call in it, so whatever each caller committed is visible to the job
 * the batch wakes.
 *
 * Requests for one id merge the way the queue itself folds re-wakes: the soonest delay, the latest data, and
 * `onlyIfAbsent` only when every request for the id says so (one ordinary wake must not be weakened into a
 * safety net's). Each caller's promise settles with the batch's outcome.
 */
import type { JobQueue, JobRequest } from './job-queue.js';

export function coalesceEnqueues(queue: JobQueue): JobQueue {
  let pending: { requests: Map<string, JobRequest>; waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> } | null = null;

  function flush(): void {
    const batch = pending!;
    pending = null;
    queue.enqueue([...batch.requests.values()]).then(
      () => batch.waiters.forEach((waiter) => waiter.resolve()),
      (error: unknown) => batch.waiters.forEach((waiter) => waiter.reject(error)),
    );
  }

  return {
    enqueue(jobs) {
      if (jobs.length === 0) return Promise.resolve();
      if (pending === null) {
        pending = { requests: new Map(), waiters: [] };
        setImmediate(flush);
      }
      const { requests } = pending;
      for (const job of jobs) {
        const earlier = requests.get(job.id);
        requests.set(job.id, earlier === undefined ? job : merge(earlier, job));
      }
      const batch = pending;
      return new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    },
    isHeld: (id) => queue.isHeld(id),
    startWorker: (handler, options) => queue.startWorker(handler, options),
    close: () => queue.close(),
  };
}

function merge(earlier: JobRequest, later: JobRequest): JobRequest {
  const delayMs = Math.min(earlier.delayMs ?? 0, later.delayMs ?? 0);
  const data = later.data ?? earlier.data;
  const onlyIfAbsent = earlier.onlyIfAbsent === true && later.onlyIfAbsent === true;
  return {
    id: later.id,
    ...(delayMs > 0 && { delayMs }),
    ...(data !== undefined && { data }),
    ...(onlyIfAbsent && { onlyIfAbsent }),
  };
}
