/*
 * The API role: the HTTP API and its event stream, the WhatsApp sessions and their outboxes, the sweepers,
 * and (unless `serve --no-worker`) the webhook delivery worker and retention in the same process.
 *
 * Construction follows the dependencies, so nothing is wired late: the foundation; webhooks (the event
 * recorder and bus every feature records through); messages (whose receipt and inbound handlers the
 * sessions call); sessions; tenancy (deleting an instance stops its session); then the outbox worker
 * (which sends through the sessions) and the HTTP server. Stopping runs in reverse.
 */
import {
  buildHttpApp,
  callRoutes,
  chatRoutes,
  contactRoutes,
  createConnectionLimits,
  eventStreamRoutes,
  eventTokenRoutes,
  groupRoutes,
  mediaRoutes,
  messageRoutes,
  actionRoutes,
  pairingPageRoutes,
  planConnections,
  readOpenFileLimit,
  sandboxGroupRoutes,
  sandboxRoutes,
  sessionRoutes,
  webhookDeliveryRoutes,
  webhookEndpointRoutes,
  instanceSettingsRoutes,
  statusPostRoutes,
} from '@whatisup/http-fastify';
import { isRedisUnavailableError } from '@whatisup/queue-bullmq';
import { createMintEventToken, createVerifyEventToken } from '@whatisup/core';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import { bootstrapDevelopment } from '../compose/bootstrap-development.js';
import { createFoundation } from '../compose/create-foundation.js';
import { createContactIdentities, createContacts } from '../compose/create-contacts.js';
import { createCalls } from '../compose/create-calls.js';
import { createGroupEvents, createGroups } from '../compose/create-groups.js';
import { createChats } from '../compose/create-chats.js';
import { createMessages } from '../compose/create-messages.js';
import { createReadiness } from '../compose/create-readiness.js';
import { createSessions } from '../compose/create-sessions.js';
import { createTenancy } from '../compose/create-tenancy.js';
import { createWebhooks } from '../compose/create-webhooks.js';
import { deriveKey } from '../compose/derive-key.js';
import { every } from '../compose/every.js';
import { startRetention } from '../compose/start-retention.js';
import { createNodeOwnership, reachableAddress, startNodeKeeper, type RunningNodeKeeper } from '../compose/start-node-keeper.js';
import { FORWARDED_HEADER, forwardToOwner } from '../compose/forward-to-owner.js';
import { createConfiguredMediaStore } from '../compose/create-media-store.js';
import { forwardMediaToHolder } from '../compose/forward-media-to-holder.js';
import { createNodeHops } from '../compose/node-hops.js';
import { createOutboxRouting } from '../compose/route-outbox-to-owner.js';
import { createKyselyNodeRegistry } from '@whatisup/persistence-kysely';
import { sweepFailed } from '../compose/sweep-failed.js';
import { createStopList } from '../compose/stop-list.js';
import { createQueueBackend, queueBackendTarget } from '../embedded/create-queue-backend.js';
import { createServerMetrics } from '../metrics/create-server-metrics.js';
import { registerScrapeGauges } from '../metrics/register-scrape-gauges.js';
import { startTelemetry } from '../telemetry/start-telemetry.js';
import type { RunningRole } from './running-role.js';

export interface ApiRoleOptions {
  /** Run the webhook delivery worker in this process too (`serve`), or leave it to worker processes. */
  readonly worker: boolean;
  /** Where the first development API key is printed. */
  readonly print: (text: string) => void;
  /**
   * Stops the embedded Postgres, when this process started one: first in the stop list, so it runs last,
   * after everything that uses the database has closed.
   */
  readonly stopEmbedded?: () => Promise<void>;
}

export async function startApiRole(config: Config, logger: Logger, options: ApiRoleOptions): Promise<RunningRole> {
  const role = options.worker ? 'all' : 'api';
  const stops = createStopList(logger);
  if (options.stopEmbedded) stops.push('embedded postgres', options.stopEmbedded);
  try {
    // Stopped after everything that makes spans, so their last spans are exported.
    const { tracing } = startTelemetry(config, logger, stops, role);
    const foundation = createFoundation(config, logger, { isExpectedEffectError: isRedisUnavailableError });
    stops.push('database', () => foundation.close());
    const { uow, clock } = foundation;
    const metrics = createServerMetrics();
    const { registry } = metrics;
    const queues = createQueueBackend(queueBackendTarget(config), logger);

    const webhooks = createWebhooks(config, logger.child({ component: 'webhooks' }), {
      uow,
      clock,
      leader: foundation.leader,
      queues,
      endpointLimits: { perCustomer: config.webhooks.maxEndpointsPerCustomer, perInstance: config.webhooks.maxEndpointsPerInstance },
      metrics,
      tracing,
    });
    stops.push('webhook queue', () => webhooks.close());
    if (options.worker) {
      stops.push('delivery worker', webhooks.startDeliveryWorker());
      stops.push('retention', startRetention(config, logger.child({ component: 'retention' }), foundation));
      logger.info({ role, concurrency: config.webhooks.concurrency }, 'delivery worker started');
    }

    const identities = createContactIdentities({ uow, clock, events: webhooks.recorder });
    const ownership = createNodeOwnership(config, foundation);
    // Media kept in memory is signed with this node's id, so the node must have it first.
    const media = await createConfiguredMediaStore(config, logger.child({ component: 'media' }), { clock, nodeId: ownership.nodeId, leader: foundation.leader });
    stops.push('media store', media.start());
    const groupEvents = createGroupEvents({ uow, clock, events: webhooks.recorder, learn: identities.onLidMapping });
    const messages = createMessages(config, logger.child({ component: 'messages' }), {
      uow,
      clock,
      events: webhooks.recorder,
      outbound: webhooks.outbound,
      metrics,
      queues,
      tracing,
      identifyAuthor: identities.identifyAuthor,
      media: media.store,
    });
    stops.push('outbox queue', () => messages.close());
    const calls = createCalls(
      {
        uow,
        clock,
        events: webhooks.recorder,
        sendMessage: messages.useCases.sendMessage,
        staging: messages.staging,
        identify: identities.identifyAuthor,
      },
      logger.child({ component: 'calls' }),
    );
    const chatList = createChats(logger.child({ component: 'chats' }), { uow, clock, events: webhooks.recorder });
    // What the session reports about messages, with each one moving its chat's last activity and unread count.
    const traffic = chatList.withActivity(messages.traffic);
    const nodeRegistry = createKyselyNodeRegistry(foundation.db);
    const sessions = createSessions(config, logger.child({ component: 'sessions' }), {
      uow,
      clock,
      ownership,
      db: foundation.db,
      secretBox: webhooks.secretBox,
      events: webhooks.recorder,
      ...traffic,
      onLidMapping: identities.onLidMapping,
      onPresence: identities.onPresence,
      onInbound: async (instance, message) => {
        await traffic.onInbound?.(instance, message);
        await calls.traffic.onInboundSettings(instance, message);
      },
      onCall: calls.traffic.onCall,
      onStoryView: calls.traffic.onStoryView,
      onGroupEvent: groupEvents.onGroupEvent,
      onChat: chatList.onChat,
    });
    calls.bind(sessions);
    stops.push('always online', calls.keepOnline(webhooks.bus));
    // Stopping runs in reverse: the keeper's loops stop, the sessions close, then the leases are freed.
    let nodeKeeper: RunningNodeKeeper | null = null;
    stops.push('session leases', async () => nodeKeeper?.release());
    stops.push('sessions', () => sessions.closeAll());
    stops.push('node keeper', async () => nodeKeeper?.stopLoops());
    const { contacts, chats } = createContacts({
      uow,
      clock,
      events: webhooks.recorder,
      lookups: sessions,
      stageOutboxAction: messages.useCases.stageOutboxAction,
      outbound: webhooks.outbound,
      media: messages.media,
    });
    const groups = createGroups({
      uow,
      clock,
      events: webhooks.recorder,
      lookups: sessions,
      stageOutboxAction: messages.useCases.stageOutboxAction,
      outbound: webhooks.outbound,
      lookupTimeoutMs: config.sessions.lookupTimeoutMs,
    });
    const tenancy = createTenancy(config, logger, { uow, clock, sessions });
    stops.push('api key use', tenancy.startLastUsedFlush());

    // Outboxes are drained where the sockets live. With a shared queue (Redis), a job taken here for an
    // instance another node runs is handed to that node's own queue (compose/route-outbox-to-owner.ts).
    const outboxRouting =
      queues.kind === 'redis'
        ? createOutboxRouting({
            queues,
            nodeId: ownership.nodeId,
            leases: uow.repos.leases,
            registry: nodeRegistry,
            clock,
            liveWithinMs: config.sessions.leaseTtlMs,
            logger: logger.child({ component: 'messages' }),
            outage: { trouble: "Redis trouble in this node's outbox queue; messages wait in Postgres", onError: () => metrics.onRedisError('outbox_queue') },
          })
        : undefined;
    if (outboxRouting !== undefined) stops.push('outbox routing', () => outboxRouting.close());
    stops.push('outbox worker', messages.startOutboxWorker(chatList.trackSends(sessions), outboxRouting));
    // Messages queued while an instance was down go out as soon as it connects, not at the next retry.
    stops.push('outbox wake-ups', messages.wakeOutboxesOnConnect(webhooks.bus));
    stops.push(
      'outbox sweeper',
      // Every API process schedules the sweep; one at a time runs it (the others skip that round).
      every(config.sweepIntervalMs, async () => {
        const run = await foundation.leader.run('outbox-sweeper', () => messages.sweepOutboxes());
        if (run.led && run.result.woken > 0) logger.info({ woken: run.result.woken }, 'woke outboxes with queued messages');
      }, sweepFailed(logger, 'outbox sweep failed; it runs again')),
    );

    const rateLimiter = queues.rateLimiter({
      capacity: config.rateLimit.capacity,
      refillPerSecond: config.rateLimit.refillPerSecond,
      outage: {
        trouble: 'rate limiter cannot reach Redis; requests pass unlimited',
        recovered: 'rate limiter reaches Redis again',
        onError: () => metrics.onRedisError('rate_limiter'),
      },
    });
    stops.push('rate limiter', () => rateLimiter.close());
    // Streams on this node carry the events of every node (through Redis when there is one).
    const eventFeed = queues.eventFeed({
      bus: webhooks.bus,
      outage: {
        trouble: 'the event feed cannot reach Redis; event streams miss events meanwhile (webhooks do not)',
        recovered: 'the event feed reaches Redis again',
        onError: () => metrics.onRedisError('event_feed'),
      },
    });
    stops.push('event feed', () => eventFeed.close());
    const readiness = createReadiness(queues, foundation);
    stops.push('readiness', () => readiness.close());

    const eventTokenKey = deriveKey(config.secretsKey.reveal(), 'event-tokens');
    const verifyEventToken = createVerifyEventToken({ clock, key: eventTokenKey });
    const streams = new AbortController();
    registry.gauge('whatisup_sessions_live', 'WhatsApp sessions open in this process.', [], (gauge) => {
      gauge.set({}, sessions.stats().live);
    });
    registry.gauge('whatisup_sessions_max', 'MAX_SESSIONS_PER_NODE of this process.', [], (gauge) => {
      gauge.set({}, sessions.stats().max);
    });

    registerScrapeGauges(registry, {
      uow,
      clock,
      queues: { 'webhook-deliveries': webhooks.deliveryQueue, 'message-outbox': messages.outboxQueue },
      poolStats: foundation.poolStats,
      messages: true,
      onError: (source, error) => logger.warn({ err: error, source }, 'a metrics source cannot be read; its gauges keep their last value'),
    });

    const hops = createNodeHops({ clock, secretsKey: config.secretsKey.reveal(), previousSecretsKey: config.secretsKeyPrevious?.reveal() });
    // Requests for a session another node runs are handed to that node (compose/forward-to-owner.ts).
    const toOwner = (routes: ReturnType<typeof sessionRoutes>) =>
      forwardToOwner(routes, { nodeId: ownership.nodeId, leases: uow.repos.leases, registry: nodeRegistry, clock, liveWithinMs: config.sessions.leaseTtlMs, hops });

    const openFiles = readOpenFileLimit();
    const connectionLimits = createConnectionLimits(
      planConnections({
        openFileLimit: openFiles.limit,
        // Descriptors for all but inbound HTTP: Postgres pool and Redis clients, logs and files (128), a
        // WhatsApp socket plus credential files per session, and webhook sockets in flight.
        reservedDescriptors: 128 + 2 * config.sessions.maxPerNode + config.webhooks.concurrency,
        maxStreams: config.http.streams.total,
        maxStreamsPerKey: config.http.streams.perKey,
        maxStreamsPerCustomer: config.http.streams.perCustomer,
      }),
    );
    logger.info({ open_file_limit_source: openFiles.source, ...connectionLimits.describe() }, 'connection limits');
    registry.gauge('whatisup_event_streams_open', 'Server-sent event streams open in this process.', [], (gauge) => {
      gauge.set({}, connectionLimits.streams.open());
    });
    const http = await buildHttpApp({
      connectionLimits,
      trustProxy: config.http.trustProxy,
      authFailureLimit: { capacity: config.http.authFailures.capacity, refillPerSecond: config.http.authFailures.refillPerMinute / 60 },
      rateLimiter,
      chargedByForwarder: (request) => hops.verify(request, FORWARDED_HEADER),
      webhookEndpointLimits: webhooks.useCases.getWebhookEndpointLimits,
      metrics: { registry, bearerToken: config.metricsToken?.reveal() },
      useCases: tenancy.useCases,
      authenticator: tenancy.authenticator,
      logger: logger.child({ component: 'http' }),
      tracing,
      bodyLimitBytes: config.http.bodyLimitBytes,
      info: { title: 'WhatIsUp', version: '1.0.0', publicUrl: config.publicUrl },
      readiness: async () => ({ ...(await readiness.check()), webhook_secrets: webhooks.secretHealth.ready() }),
      routes: [
        ...toOwner([...sessionRoutes({ sessions }), ...sandboxRoutes({ sandbox: sessions }), ...sandboxGroupRoutes({ sandbox: sessions }), ...callRoutes(calls.useCases)]),
        ...messageRoutes(messages.useCases),
        ...actionRoutes(messages.useCases),
        ...toOwner(contactRoutes(contacts)),
        ...toOwner(groupRoutes(groups)),
        ...chatRoutes(chats),
        ...instanceSettingsRoutes(calls.useCases),
        ...statusPostRoutes(calls.useCases),
        // Downloads of media another node keeps in its memory are handed to it (compose/forward-media-to-holder.ts).
        ...forwardMediaToHolder(mediaRoutes(messages.useCases), {
          nodeId: ownership.nodeId,
          registry: nodeRegistry,
          clock,
          liveWithinMs: config.sessions.leaseTtlMs,
          hops,
        }),
        ...webhookEndpointRoutes(webhooks.useCases),
        ...webhookDeliveryRoutes(webhooks.useCases),
        ...eventTokenRoutes({ mintEventToken: createMintEventToken({ uow, clock, key: eventTokenKey }) }),
        ...eventStreamRoutes({
          feed: eventFeed,
          authenticator: tenancy.authenticator,
          verifyEventToken,
          getInstance: tenancy.useCases.getInstance,
          shutdown: streams.signal,
          streams: connectionLimits.streams,
          rateLimiter,
        }),
        ...pairingPageRoutes({ verifyEventToken, pairingState: sessions.pairingState }),
      ],
    });
    const address = await http.listen({ port: config.port, host: config.host });
    // Open event streams end first, or they would hold http.close() open.
    stops.push('http server', async () => {
      streams.abort();
      await http.close();
    });
    logger.info({ address, role }, 'listening');

    await bootstrapDevelopment(config, { uow, useCases: tenancy.useCases }, logger, options.print);
    // Sessions resume through placement: this node takes its share of the instances nobody runs.
    nodeKeeper = await startNodeKeeper(config, logger.child({ component: 'node' }), {
      ...foundation,
      ownership,
      sessions,
      registry: nodeRegistry,
      address: config.sessions.nodeAddress ?? reachableAddress(address),
    });
    return { address, stop: () => stops.stopAll(), pending: () => stops.pending() };
  } catch (error) {
    await stops.stopAll();
    throw error;
  }
}
