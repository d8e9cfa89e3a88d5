/*
 * A JobQueue that answers a wake for a job running in this process itself, without asking the queue. The
 * port promises that waking an active job makes one more run start after the current one ends (the
 * re-wake); when that job runs here, this process can keep the promise by running the handler once more
 * as soon as the run ends. Under load the outbox is the case: every accepted message wakes its instance's
 * outbox, which is nearly always draining already, and each such wake used to be a Redis round trip or two
 * (the add, then a look at the job) that only left a note for BullMQ.
 *
 * Only an ordinary wake is answered here: no delay (a delayed re-wake keeps the queue's timing) and not a
 * safety net's (`onlyIfAbsent`, which does nothing to a live job anyway: it is dropped). The check and the
 * note are synchronous, and so is the run's look at the note when it ends, so a wake is either noted before
 * the run looks (and the run goes again) or sent to the queue after the run stopped counting as running
 * here (and the queue re-wakes it, as before).
 *
 * The run after a wake gets the wake's data (the latest wins, as in the queue) and attempt 1, like the new
 * job the queue would have made. A run that throws passes the wake on to the queue, whose retry policy then
 * applies unchanged; so does a wake noted while the worker is closing.
 */
import type { Job, JobHandler, JobOutcome, JobQueue, JobRequest } from './job-queue.js';

export function rerunLocalWakes(queue: JobQueue): JobQueue {
  /** Ids running in this process, with the data of the wake noted for the next run (null: none yet). */
  const running = new Map<string, { woken: JobRequest | null }>();
  let closing = false;

  function wrap(handler: JobHandler): JobHandler {
    return async (job) => {
      // Two workers of this queue in one process never run one id at once: the queue holds one live job per id.
      const entry = { woken: null as JobRequest | null };
      running.set(job.id, entry);
      let current: Job = job;
      let threw = true;
      try {
        for (;;) {
          const outcome: JobOutcome = await handler(current);
          // Checked and (in `finally`) forgotten in the same turn as the run ended: see the top.
          if (entry.woken === null || closing) {
            threw = false;
            return outcome;
          }
          current = { id: job.id, data: entry.woken.data ?? current.data, attempt: 1 };
          entry.woken = null;
        }
      } finally {
        running.delete(job.id);
        // A wake noted during a run that threw, or while closing: the queue re-wakes the job.
        if (entry.woken !== null) {
          const handedOn = queue.enqueue([{ id: job.id, ...(entry.woken.data && { data: entry.woken.data }) }]);
          await (threw ? handedOn.catch(() => undefined) : handedOn);
        }
      }
    };
  }

  return {
    enqueue(jobs) {
      const forQueue: JobRequest[] = [];
      for (const request of jobs) {
        const entry = running.get(request.id);
        if (entry === undefined || closing || (request.delayMs ?? 0) > 0) forQueue.push(request);
        else if (request.onlyIfAbsent !== true) entry.woken = request;
        // A safety net's wake for a running job: nothing to do (see the port).
      }
      return forQueue.length === 0 ? Promise.resolve() : queue.enqueue(forQueue);
    },
    isHeld: (id) => (running.has(id) ? Promise.resolve(true) : queue.isHeld(id)),
    startWorker(handler, options) {
      const worker = queue.startWorker(wrap(handler), options);
      return {
        close(closeOptions) {
          closing = true;
          return worker.close(closeOptions);
        },
      };
    },
    close() {
      closing = true;
      return queue.close();
    },
  };
}
