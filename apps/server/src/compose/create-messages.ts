/*
 * Messaging: the outbox queue (one job per instance, drained in acceptance order in the process that owns
 * the instance's session), receipts and inbound handling, and the media routes' use case over the media
 * store (made by compose/create-media-store.ts).
 */
import {
  createGetMedia,
  createInboundMessageHandler,
  createMessageStatusHandler,
  createOutboxDrainer,
  createOutboxJobHandler,
  createMessageUseCases,
  createSweepOutboxes,
  inSpan,
  instanceIdOfOutboxJob,
  noTracing,
  outboxJobId,
  traceJobQueue,
  coalesceEnqueues,
  rerunLocalWakes,
  type Clock,
  type EventBus,
  type EventPreparer,
  type EventRecorder,
  type IdentifyAuthor,
  type MediaStore,
  type Job,
  type JobHandler,
  type OutboundHttp,
  type Principal,
  type SendMessage,
  type SessionSender,
  type SessionInstance,
  type SessionTrafficHandlers,
  type Tracing,
  type UnitOfWork,
} from '@whatisup/core';
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics/create-server-metrics.js';
import type { Config } from '../config/load-config.js';
import type { QueueBackend } from '../embedded/create-queue-backend.js';
import { withLogContext } from '../log-context.js';
import { traceLogFields } from '../telemetry/trace-log-fields.js';
import { deriveKey } from './derive-key.js';
import { messagingSystem } from './create-webhooks.js';
import { logJobFailure } from './log-job-failure.js';
import type { OutboxRouting } from './route-outbox-to-owner.js';

export interface MessagesDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly events: EventRecorder & EventPreparer;
  readonly outbound: OutboundHttp;
  /** Where the outbox queue lives. */
  readonly queues: QueueBackend;
  /** Where message status moves and Redis errors are counted. */
  readonly metrics?: ServerMetrics | undefined;
  /** A message's send joins the trace of the request that accepted it; socket traffic starts its own. Default: off. */
  readonly tracing?: Tracing | undefined;
  /** Completes an inbound message's author (phone number and LID) from what the contacts feature learnt. */
  readonly identifyAuthor?: IdentifyAuthor;
  /** Where inbound media waits behind signed `/v1/media` URLs (MEDIA_STORE). */
  readonly media: MediaStore;
}

/** Counts each newly accepted message as a move to `queued` (a repeated request accepts nothing new). */
function countQueued<Input>(
  send: (principal: Principal, input: Input) => ReturnType<SendMessage>,
  onStatus: ServerMetrics['onMessageStatus'] | undefined,
): (principal: Principal, input: Input) => ReturnType<SendMessage> {
  if (onStatus === undefined) return send;
  return async (principal, input) => {
    const result = await send(principal, input);
    if (result.created) onStatus('queued');
    return result;
  };
}

export function createMessages(config: Config, logger: Logger, deps: MessagesDeps) {
  const { uow, clock, events, outbound, queues, media } = deps;
  const tracing = deps.tracing ?? noTracing;
  const backendQueue = queues.jobQueue('message-outbox', {
    outage: {
      trouble: 'Redis trouble in the outbox queue; messages wait in Postgres',
      recovered: 'the outbox queue reaches Redis again',
      onError: () => deps.metrics?.onRedisError('outbox_queue'),
    },
    stalled: { lockMs: 30_000, checkIntervalMs: 15_000 },
  });
  // Stagings that commit in the same turn wake their outboxes with one enqueue (one wake per instance), and
  // a wake for an outbox draining in this process makes that drain go once more instead of reaching Redis.
  const outboxQueue = traceJobQueue(coalesceEnqueues(rerunLocalWakes(backendQueue)), tracing, { name: 'message-outbox', attributes: { 'messaging.system': messagingSystem(queues) } });
  const mediaKey = deriveKey(config.secretsKey.reveal(), 'media-urls');
  const onStatus = deps.metrics?.onMessageStatus;
  const status = createMessageStatusHandler({
    uow,
    clock,
    events,
    ...(onStatus && { onStatus }),
    ...(deps.identifyAuthor && { identify: deps.identifyAuthor }),
  });
  const inbound = createInboundMessageHandler({
    uow,
    events,
    media,
    mediaKey,
    publicUrl: config.publicUrl,
    ...(deps.identifyAuthor && { identifyAuthor: deps.identifyAuthor }),
  });

  /**
   * Socket traffic starts a trace of its own (`receive <what>`, whatever context the socket was opened in),
   * which the events it records, and so their deliveries, join; its log lines name the instance.
   */
  const fromSocket = <T>(what: string, instance: SessionInstance, handle: () => Promise<T> | T): Promise<T> =>
    inSpan(
      tracing,
      `receive ${what}`,
      { kind: 'consumer', parent: null, attributes: { 'whatisup.customer.id': instance.customerId, 'whatisup.instance.id': instance.id } },
      async () => withLogContext({ customer_id: instance.customerId, instance_id: instance.id, ...traceLogFields(tracing) }, handle),
    );
  /** What the session manager calls for traffic on its sessions. */
  const traffic: SessionTrafficHandlers = {
    onInbound: (instance, message) => fromSocket('message', instance, () => inbound.handleInboundMessage(instance, message)),
    onOwnMessage: (instance, message) => fromSocket('own message', instance, () => inbound.handleOwnMessage(instance, message)),
    onMessageStatus: (instance, update) => fromSocket('receipt', instance, () => status.handleMessageStatus(instance, update)),
    onMessageChange: (instance, change) => fromSocket(change.kind, instance, () => inbound.handleMessageChange(instance, change)),
  };

  const messages = createMessageUseCases({
    uow,
    clock,
    outboxQueue,
    outbound,
    tracing,
    // Debug only: a wake fails for every accepted message while Redis is down, and the outage itself is already
    // reported once per connection; the outbox sweeper re-drives what Postgres holds.
    onWakeError: (error) => logger.debug({ err: error }, 'could not wake an outbox after accepting a message; the sweeper will'),
  });
  const useCases = {
    ...messages,
    sendMessage: countQueued(messages.sendMessage, onStatus),
    forwardMessage: countQueued(messages.forwardMessage, onStatus),
    getMedia: createGetMedia({ clock, media, mediaKey }),
  };

  /**
   * Starts draining outboxes through the sessions of this process; returns its stop function. An outbox
   * whose instance another node runs (`ownedElsewhere`) is left to that node: handed to its queue when
   * `routing` is given (route-outbox-to-owner.ts), whose own queue this process then drains too.
   */
  function startOutboxWorker(
    sender: Pick<SessionSender, 'send' | 'perform'> & { runsElsewhere?: (instanceId: string) => Promise<boolean> },
    routing?: OutboxRouting,
  ): () => Promise<void> {
    const drain = createOutboxDrainer({
      uow,
      clock,
      events,
      sender,
      ...(sender.runsElsewhere && { ownedElsewhere: sender.runsElsewhere }),
      outbound,
      ...(onStatus && { onStatus }),
      tracing,
      onSent: (message) =>
        void status
          .applyParked(message)
          .catch((error) => logger.warn({ err: error, message_id: message.id, customer_id: message.customerId }, 'could not apply a parked receipt')),
      options: { minGapMs: config.messages.minGapMs, claimTtlMs: config.messages.claimLeaseMs },
    });
    const drainHere = createOutboxJobHandler(drain);
    const handler: JobHandler = async (job) => {
      const instanceId = instanceIdOfOutboxJob(job.id);
      if (routing !== undefined && instanceId !== null) {
        try {
          if (await routing.handOff(instanceId)) return undefined;
        } catch (error) {
          // The drain below defers it, and the next run tries again.
          logger.debug({ err: error, instance_id: instanceId }, "could not hand an outbox job to its owner's queue");
        }
      }
      return drainHere(job);
    };
    const options = {
      // Each job drains one instance in order; different instances proceed in parallel.
      concurrency: 16,
      onError: (error: unknown, job: Job, willRetry: boolean) =>
        logJobFailure(logger, { error, job, willRetry, ids: { instance_id: instanceIdOfOutboxJob(job.id) ?? job.id } }, 'outbox job failed unexpectedly'),
    };
    const run = (job: Job) => withLogContext({ instance_id: instanceIdOfOutboxJob(job.id) ?? job.id, ...traceLogFields(tracing) }, () => handler(job));
    const workers = [outboxQueue.startWorker(run, options), ...(routing === undefined ? [] : [routing.ownQueue.startWorker(run, options)])];
    return async () => {
      await Promise.all(workers.map((worker) => worker.close({ timeoutMs: 15_000 })));
    };
  }

  /** Wakes an instance's outbox when it connects; returns the unsubscribe (as a stop function). */
  function wakeOutboxesOnConnect(bus: Pick<EventBus, 'subscribe'>): () => Promise<void> {
    const unsubscribe = bus.subscribe(({ envelope }) => {
      if (envelope.event !== 'instance.connected' || envelope.instance_id === null) return;
      outboxQueue
        .enqueue([{ id: outboxJobId(envelope.instance_id) }])
        .catch((error: unknown) => logger.warn({ err: error }, 'could not wake an outbox; the sweeper will'));
    });
    return async () => unsubscribe();
  }

  return {
    traffic,
    /** The inbound media store behind signed `/v1/media` URLs (profile pictures are kept there too). */
    media: { store: media, key: mediaKey, publicUrl: config.publicUrl },
    wakeOutboxesOnConnect,
    useCases,
    /** What staging into the outbox needs, for features that stage messages of their own (status posts). */
    staging: {
      outboxQueue,
      outbound,
      tracing,
      onWakeError: (error: unknown) => logger.debug({ err: error }, 'could not wake an outbox after accepting a message; the sweeper will'),
    },
    /** The queue as the backend holds it (its job counts, for metrics). */
    outboxQueue: backendQueue,
    sweepOutboxes: createSweepOutboxes({ uow, clock, outboxQueue }),
    startOutboxWorker,
    close: () => outboxQueue.close(),
  };
}
