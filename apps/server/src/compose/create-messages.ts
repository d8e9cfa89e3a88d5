/*
 * Messaging: the outbox queue (one job per instance, drained in acceptance order in the process that owns
 * the instance's session), receipts and inbound handling, and the in-process media store behind signed
 * media URLs.
 */
import {
  createGetMedia,
  createInboundMessageHandler,
  createMediaStore,
  createMessageStatusHandler,
  createOutboxDrainer,
  createOutboxJobHandler,
  createMessageUseCases,
  createSweepOutboxes,
  outboxJobId,
  type Clock,
  type EventBus,
  type EventRecorder,
  type OutboundHttp,
  type SendMessage,
  type SessionSender,
  type SessionTrafficHandlers,
  type UnitOfWork,
} from '@whatisup/core';
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics/create-server-metrics.js';
import type { Config } from '../config/load-config.js';
import type { QueueBackend } from '../embedded/create-queue-backend.js';
import { deriveKey } from './derive-key.js';

export interface MessagesDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly events: EventRecorder;
  readonly outbound: OutboundHttp;
  /** Where the outbox queue lives. */
  readonly queues: QueueBackend;
  /** Where message status moves and Redis errors are counted. */
  readonly metrics?: ServerMetrics | undefined;
}

/** Counts each newly accepted message as a move to `queued` (a repeated request accepts nothing new). */
function countQueued(sendMessage: SendMessage, onStatus: ServerMetrics['onMessageStatus'] | undefined): SendMessage {
  if (onStatus === undefined) return sendMessage;
  return async (principal, input) => {
    const result = await sendMessage(principal, input);
    if (result.created) onStatus('queued');
    return result;
  };
}

export function createMessages(config: Config, logger: Logger, deps: MessagesDeps) {
  const { uow, clock, events, outbound, queues } = deps;
  const outboxQueue = queues.jobQueue('message-outbox', {
    outage: {
      trouble: 'Redis trouble in the outbox queue; messages wait in Postgres',
      recovered: 'the outbox queue reaches Redis again',
      onError: () => deps.metrics?.onRedisError('outbox_queue'),
    },
    stalled: { lockMs: 30_000, checkIntervalMs: 15_000 },
  });
  const media = createMediaStore({ clock, maxBytes: config.media.cacheMaxBytes, ttlMs: config.media.urlTtlSeconds * 1000 });
  const mediaKey = deriveKey(config.secretsKey.reveal(), 'media-urls');
  const onStatus = deps.metrics?.onMessageStatus;
  const status = createMessageStatusHandler({ uow, clock, events, ...(onStatus && { onStatus }) });
  const inbound = createInboundMessageHandler({ uow, events, media, mediaKey, publicUrl: config.publicUrl });

  /** What the session manager calls for traffic on its sessions. */
  const traffic: SessionTrafficHandlers = {
    onInbound: (instance, message) => inbound.handleInboundMessage(instance, message),
    onOwnMessage: (instance, message) => inbound.handleOwnMessage(instance, message),
    onMessageStatus: (instance, update) => status.handleMessageStatus(instance, update),
  };

  const messages = createMessageUseCases({ uow, clock, outboxQueue, outbound });
  const useCases = {
    ...messages,
    sendMessage: countQueued(messages.sendMessage, onStatus),
    getMedia: createGetMedia({ clock, media, mediaKey }),
  };

  /**
   * Starts draining outboxes through the sessions of this process; returns its stop function. An outbox
   * whose instance another node runs (`ownedElsewhere`) is left to that node.
   */
  function startOutboxWorker(sender: Pick<SessionSender, 'send'> & { runsElsewhere?: (instanceId: string) => Promise<boolean> }): () => Promise<void> {
    const drain = createOutboxDrainer({
      uow,
      clock,
      events,
      sender,
      ...(sender.runsElsewhere && { ownedElsewhere: sender.runsElsewhere }),
      outbound,
      ...(onStatus && { onStatus }),
      onSent: (message) => void status.applyParked(message).catch((error) => logger.warn({ err: error }, 'could not apply a parked receipt')),
      options: { minGapMs: config.messages.minGapMs, claimTtlMs: config.messages.claimLeaseMs },
    });
    const worker = outboxQueue.startWorker(createOutboxJobHandler(drain), {
      // Each job drains one instance in order; different instances proceed in parallel.
      concurrency: 16,
      onError: (error, job, willRetry) => logger.error({ err: error, job_id: job.id, will_retry: willRetry }, 'outbox job failed unexpectedly'),
    });
    return () => worker.close({ timeoutMs: 15_000 });
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
    wakeOutboxesOnConnect,
    useCases,
    outboxQueue,
    sweepOutboxes: createSweepOutboxes({ uow, clock, outboxQueue }),
    startOutboxWorker,
    close: () => outboxQueue.close(),
  };
}
