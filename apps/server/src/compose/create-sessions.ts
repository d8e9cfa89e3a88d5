/*
 * The WhatsApp sessions of this process: real phones through Baileys (credentials under DATA_DIR), and
 * sandbox instances (a simulated phone, paired while their row says so). QR codes are rendered to PNG data
 * URLs here, at the edge, so core stays free of image libraries.
 */
import {
  createSessionManager,
  type Clock,
  type EventRecorder,
  type SessionTrafficHandlers,
  type UnitOfWork,
} from '@whatisup/core';
import { createBaileysSessionFactory } from '@whatisup/whatsapp-baileys';
import { createInstanceRowSandboxCredentialStore, createSandboxSessionFactory } from '@whatisup/whatsapp-sandbox';
import type { Logger } from 'pino';
import QRCode from 'qrcode';
import type { Config } from '../config/load-config.js';

export interface SessionsDeps extends SessionTrafficHandlers {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly events: EventRecorder;
}

export function createSessions(config: Config, logger: Logger, deps: SessionsDeps) {
  const whatsapp = createBaileysSessionFactory({
    dataDir: config.dataDir,
    logger: logger.child({ component: 'baileys' }),
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
  return createSessionManager({
    ...deps,
    factories: { whatsapp, sandbox },
    renderQrPng: (text) => QRCode.toDataURL(text, { errorCorrectionLevel: 'L', margin: 2, scale: 6 }),
    maxSessions: config.sessions.maxPerWorker,
    lookupDeadlineMs: config.sessions.lookupTimeoutMs,
    resumeIntervalMs: Math.ceil(1000 / config.sessions.resumePerSecond),
    onError: (error, context) => logger.error({ err: error, instance_id: context.instanceId, event: context.event }, 'session error'),
  });
}
