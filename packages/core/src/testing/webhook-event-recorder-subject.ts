/*
 * Wraps a repository contract subject (in-memory or a database adapter's) into a subject for the event
 * recorder contract with the real webhook recorder: its delivery queue only records ids, its bus is the
 * in-process one, its clock the system's (so timestamps round-trip a database unchanged).
 */
import { createInProcessEventBus, type PublishedEvent } from '../events/index.js';
import { systemClock } from '../shared/index.js';
import { createEventRecorder } from '../webhooks/index.js';
import type { ContractSubject } from './contracts/contract-subject.js';
import type { EventRecorderContractSubject } from './contracts/event-recorder.contract.js';

export function webhookEventRecorderSubject(base: ContractSubject): EventRecorderContractSubject {
  const bus = createInProcessEventBus();
  const published: PublishedEvent[] = [];
  bus.subscribe((event) => void published.push(event));
  const enqueued: string[] = [];
  const deliveryQueue = {
    enqueue: async (jobs: readonly { readonly id: string }[]) => void enqueued.push(...jobs.map((job) => job.id)),
  };
  return {
    ...base,
    recorder: createEventRecorder({ clock: systemClock, deliveryQueue, bus }),
    published: () => published,
    deliveries: { enqueued: () => enqueued },
  };
}
