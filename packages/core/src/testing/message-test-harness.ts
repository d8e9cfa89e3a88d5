/*
 * Test support for the messaging tests: the messaging use cases and handlers wired to in-memory adapters,
 * a fake clock, a recording outbox queue (jobs are taken by hand, as a crash or a Redis flush would lose
 * them), a scriptable session sender and a scriptable outbound HTTP client.
 */
import {
  DomainError,
  type Principal,
  type JobQueue,
  type JobRequest,
  type OutboundDownloadResult,
  type OutboundHttp,
  type Tracing,
} from '../shared/index.js';
import type { Instance } from '../instances/index.js';
import type { LeaseFence } from '../cluster/index.js';
import type { OutboundContent, SendOptions, SessionAction } from '../sessions/index.js';
import { createFakeClock } from './fake-clock.js';
import { aCustomer, anInstance, aPrincipal } from './fixtures.js';
import { createInMemoryEventRecorder } from './in-memory-event-recorder.js';
import { createInMemoryUnitOfWork } from './in-memory-unit-of-work.js';
import {
  createMessageUseCases,
  createOutboxDrainer,
  createMessageStatusHandler,
  createSweepOutboxes,
  type OutboxDrainerOptions,
} from '../messages/index.js';

export interface SentRecord {
  readonly instanceId: string;
  readonly to: string;
  readonly content: OutboundContent;
  readonly options: SendOptions | undefined;
  readonly whatsappId: string;
}

/** Records enqueued job ids; a taken job is gone (as if Redis lost it). */
export function createRecordingQueue(): Pick<JobQueue, 'enqueue' | 'isHeld'> & { take(): string[]; readonly held: Set<string> } {
  const held = new Set<string>();
  return {
    held,
    async enqueue(jobs: readonly JobRequest[]) {
      for (const job of jobs) held.add(job.id);
    },
    async isHeld(id: string) {
      return held.has(id);
    },
    take() {
      const ids = [...held];
      held.clear();
      return ids;
    },
  };
}

export function createMessageHarness(options: { drainer?: OutboxDrainerOptions; tracing?: Tracing } = {}) {
  const clock = createFakeClock();
  const uow = createInMemoryUnitOfWork({ clock });
  const events = createInMemoryEventRecorder({ clock });
  const queue = createRecordingQueue();
  const sent: SentRecord[] = [];
  /** Every action the drainer performed, in order. */
  const performed: Array<{ readonly instanceId: string; readonly action: SessionAction }> = [];
  /** Sends and actions in the order the drainer did them (`send:<to>`, `perform:<type>`). */
  const outboxLog: string[] = [];
  /** Errors the next sends throw, in order; empty: the send succeeds. */
  const sendFailures: unknown[] = [];
  const downloads = new Map<string, OutboundDownloadResult>();
  /** The lease fence each instance's sends come back with, as on several nodes; absent: none. */
  const fences = new Map<string, LeaseFence>();
  let nextWhatsappId = 1;

  const outbound: Pick<OutboundHttp, 'checkUrl' | 'download'> = {
    async checkUrl(url) {
      const { hostname } = new URL(url);
      if (/^(127\.|10\.|192\.168\.|169\.254\.)|^localhost$/.test(hostname)) {
        throw new DomainError('unsafe_url', 'The URL resolves to a private address.', { reason: 'forbidden_address' });
      }
      return { url, hostname, addresses: ['203.0.113.10'] };
    },
    async download({ url }) {
      return downloads.get(url) ?? { kind: 'http_status', status: 404, message: 'HTTP 404', durationMs: 1 };
    },
  };
  const sender = {
    async send(instance: { customerId: string; id: string }, to: string, content: OutboundContent, opts?: SendOptions) {
      const failure = sendFailures.shift();
      if (failure !== undefined) throw failure;
      const whatsappId = `WA${String(nextWhatsappId++).padStart(6, '0')}`;
      sent.push({ instanceId: instance.id, to, content, options: opts, whatsappId });
      outboxLog.push(`send:${to}`);
      return { whatsappId, fence: fences.get(instance.id) ?? null };
    },
    /** Fails with the next of `sendFailures` as a send would. */
    async perform(instance: { customerId: string; id: string }, action: SessionAction) {
      const failure = sendFailures.shift();
      if (failure !== undefined) throw failure;
      performed.push({ instanceId: instance.id, action });
      outboxLog.push(`perform:${action.type}`);
    },
  };
  /** Every status move the drainer and the receipts reported (`onStatus`), in order. */
  const statusMoves: string[] = [];
  const onStatus = (to: string) => void statusMoves.push(to);
  const status = createMessageStatusHandler({ uow, clock, events, onStatus });
  /** Instances another node runs: the drainer leaves their outboxes to it. */
  const ownedElsewhere = new Set<string>();
  const drainOutbox = createOutboxDrainer({
    uow,
    clock,
    events,
    sender,
    outbound,
    ownedElsewhere: async (instanceId) => ownedElsewhere.has(instanceId),
    onStatus,
    onSent: (message) => void status.applyParked(message),
    ...(options.tracing && { tracing: options.tracing }),
    options: { minGapMs: 0, ...options.drainer },
  });

  async function tenant(instance: Partial<Instance> = { status: 'connected' }): Promise<{ principal: Principal; instance: Instance }> {
    const customer = await uow.repos.customers.create(aCustomer());
    const created = await uow.repos.instances.create(anInstance(customer.id, instance));
    return { principal: aPrincipal(customer.id), instance: created };
  }

  /** Runs the drainer until it has nothing left, advancing the clock by every deferral. */
  async function drainAll(instanceId: string, maxRuns = 1_000): Promise<number> {
    for (let runs = 1; runs <= maxRuns; runs++) {
      const outcome = await drainOutbox(instanceId);
      if (outcome === undefined) return runs;
      clock.advance(outcome.deferMs);
    }
    throw new Error('the outbox did not drain');
  }

  return {
    ownedElsewhere,
    clock,
    uow,
    repos: uow.repos,
    events,
    queue,
    sent,
    performed,
    outboxLog,
    sendFailures,
    fences,
    downloads,
    outbound,
    status,
    statusMoves,
    drainOutbox,
    drainAll,
    tenant,
    ...createMessageUseCases({ uow, clock, outboxQueue: queue, outbound, ...(options.tracing && { tracing: options.tracing }) }),
    sweep: createSweepOutboxes({ uow, clock, outboxQueue: queue }),
    /** The committed events' names and data, oldest first. */
    eventLog: () => events.envelopes().map((e) => ({ event: e.event, data: e.data })),
  };
}

export type MessageHarness = ReturnType<typeof createMessageHarness>;
