/*
 * The WhatsApp sessions of this process: real phones through Baileys (credentials under DATA_DIR), and
 * sandbox instances (a simulated phone, paired while their row says so). QR codes are rendered to PNG data
 * URLs here, at the edge, so core stays free of image libraries.
 *
 * Every socket opened and closed is logged at debug with the node and the lease epoch it ran under: the
 * record that shows an instance never had two sockets at once across nodes.
 */
import {
  createSessionCredentialStore,
  createSessionManager,
  createSentMessageLookup,
  type SecretBox,
  type Clock,
  type EventPreparer,
  type EventRecorder,
  type SessionOwnership,
  type SessionTrafficHandlers,
  type UnitOfWork,
  type WhatsAppSession,
  type WhatsAppSessionFactory,
} from '@whatisup/core';
import { createBaileysSessionFactory } from '@whatisup/whatsapp-baileys';
import { createKyselySessionCredentialRepository } from '@whatisup/persistence-kysely';
import type { Foundation } from './create-foundation.js';
import { createInstanceRowSandboxCredentialStore, createSandboxSessionFactory } from '@whatisup/whatsapp-sandbox';
import type { Logger } from 'pino';
import QRCode from 'qrcode';
import type { Config } from '../config/load-config.js';

export interface SessionsDeps extends SessionTrafficHandlers {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly events: EventRecorder & EventPreparer;
  /** This node's session leases: every session starts under one. */
  readonly ownership: SessionOwnership;
  /** With WHATSAPP_CREDENTIALS=postgres: the database and the box that seals the credentials (SECRETS_KEY). */
  readonly db: Foundation['db'];
  readonly secretBox: SecretBox;
}

export function createSessions(config: Config, logger: Logger, deps: SessionsDeps) {
  const sentMessages = createSentMessageLookup(deps.uow.repos.messages);
  const credentials =
    config.sessions.credentials === 'postgres'
      ? {
          store: createSessionCredentialStore({
            repository: createKyselySessionCredentialRepository(deps.db),
            secretBox: deps.secretBox,
            clock: deps.clock,
            fenceOf: (instanceId) => deps.ownership.fence(instanceId),
          }),
        }
      : undefined;
  const whatsapp = createBaileysSessionFactory({
    dataDir: config.dataDir,
    ...(credentials && { credentials }),
    logger: logger.child({ component: 'baileys' }),
    sentMessages,
    tuning: {
      pairingTimeoutMs: config.sessions.pairingTimeoutMs,
      ...(config.sessions.waWebSocketUrl ? { waWebSocketUrl: config.sessions.waWebSocketUrl } : {}),
    },
  });
  const sandbox = createSandboxSessionFactory({
    credentials: createInstanceRowSandboxCredentialStore({ instances: deps.uow.repos.instances }),
    timings: { autoScanMs: config.sandbox.autoScanMs, receiptDelayMs: config.sandbox.receiptDelayMs, resumeDelayMs: 100 },
    clock: deps.clock,
    // Receipts pending when the process died are re-derived from the messages table on resume.
    messages: deps.uow.repos.messages,
  });
  const socketLog = logger.child({ component: 'sockets', node_id: deps.ownership.nodeId });
  const logged = <F extends WhatsAppSessionFactory>(factory: F): F =>
    logSockets(factory, (instanceId, msg) => socketLog.debug({ instance_id: instanceId, epoch: deps.ownership.fence(instanceId)?.epoch ?? null }, msg));
  return createSessionManager({
    ...deps,
    factories: { whatsapp: logged(whatsapp), sandbox: logged(sandbox) },
    renderQrPng: (text) => QRCode.toDataURL(text, { errorCorrectionLevel: 'L', margin: 2, scale: 6 }),
    maxSessions: config.sessions.maxPerNode,
    lookupDeadlineMs: config.sessions.lookupTimeoutMs,
    resumeIntervalMs: Math.ceil(1000 / config.sessions.resumePerSecond),
    onError: (error, context) => logger.error({ err: error, instance_id: context.instanceId, event: context.event }, 'session error'),
    sentMessages,
  });
}

/**
 * The factory with each session's connect, close and logout reported. The session is wrapped by
 * delegation (its prototype), so its getters and extra methods (the sandbox's controls) stay as they are.
 */
function logSockets<F extends WhatsAppSessionFactory>(factory: F, log: (instanceId: string, msg: string) => void): F {
  const createSession = (options: Parameters<F['createSession']>[0]) => {
    const session = factory.createSession(options) as WhatsAppSession;
    const wrapped = Object.create(session) as WhatsAppSession & Record<string, unknown>;
    wrapped['connect'] = async () => {
      if (session.status === 'idle' || session.status === 'disconnected') log(options.instanceId, 'session socket opened');
      await session.connect();
    };
    for (const name of ['close', 'logout'] as const) {
      wrapped[name] = async () => {
        const open = session.status !== 'idle' && session.status !== 'closed';
        await session[name]();
        if (open) log(options.instanceId, 'session socket closed');
      };
    }
    return wrapped;
  };
  return Object.assign(Object.create(factory) as F, { createSession });
}
