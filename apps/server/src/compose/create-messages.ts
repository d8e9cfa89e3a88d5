/*
 * Messaging: the outbox queue (one job per instance, drained in acceptance order in the process that owns
 * the instance's session), receipts and inbound handling, and the in-process media store behind signed
 * media URLs.
 */
import {
  createGetMedia,
  createGetMessage,
  createInboundMessageHandler,
  createListMessages,
  createMediaStore,
  createMessageStatusHandler,
  createOutboxDrainer,
  createOutboxJobHandler,
  createSendMessage,
  createSweepOutboxes,
  outboxJobId,
  type Clock,
  type EventBus,
  type EventRecorder,
  type OutboundHttp,
  type SessionSender,
  type SessionTrafficHandlers,
  type UnitOfWork,
} from '@whatisup/core';
import { createBullmqJobQueue } from '@whatisup/queue-bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import { deriveKey } from './derive-key.js';

export interface MessagesDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly events: EventRecorder;
  readonly outbound: OutboundHttp;
}

export function createMessages(config: Config, logger: Logger, deps: MessagesDeps) {
  const { uow, clock, events, outbound } = deps;
  const outboxQueue = createBullmqJobQueue({
    redisUrl: config.redisUrl.reveal(),
    name: 'message-outbox',
    prefix: config.redisPrefix,
    onInfrastructureError: (error) => logger.warn({ err: error }, 'Redis trouble in the outbox queue; messages wait in Postgres'),
    onRecovered: () => logger.info('the outbox queue reaches Redis again'),
    stalled: { lockMs: 30_000, checkIntervalMs: 15_000 },
  });
  const media = createMediaStore({ clock, maxBytes: config.media.cacheMaxBytes, ttlMs: config.media.urlTtlSeconds * 1000 });
  const mediaKey = deriveKey(config.secretsKey.reveal(), 'media-urls');
  const status = createMessageStatusHandler({ uow, clock, events });
  const inbound = createInboundMessageHandler({ uow, events, media, mediaKey, publicUrl: config.publicUrl });

  /** What the session manager calls for traffic on its sessions. */
  const traffic: SessionTrafficHandlers = {
    onInbound: (instance, message) => inbound.handleInboundMessage(instance, message),
    onOwnMessage: (instance, message) => inbound.handleOwnMessage(instance, message),
    onMessageStatus: (instance, update) => status.handleMessageStatus(instance, update),
  };

  const useCases = {
    sendMessage: createSendMessage({ uow, clock, outboxQueue, outbound }),
    getMessage: createGetMessage({ uow }),
    listMessages: createListMessages({ uow }),
    getMedia: createGetMedia({ clock, media, mediaKey }),
  };

  /** Starts draining outboxes through the sessions of this process; returns its stop function. */
  function startOutboxWorker(sender: Pick<SessionSender, 'send'>): () => Promise<void> {
    const drain = createOutboxDrainer({
      uow,
      clock,
      events,
      sender,
      outbound,
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
