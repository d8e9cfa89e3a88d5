import type { SessionListener } from '@whatisup/core';
import type { Logger } from 'pino';
import type { BaileysSocketFactory } from './baileys-socket.js';
import type { FileAuthStore } from './file-auth-store.js';
import type { BackoffOptions } from './reconnect-policy.js';

/** Tunables shared by every session of a factory; all have defaults (see DEFAULT_SESSION_TUNING). */
export interface SessionTuning {
  /** WhatsApp's WebSocket endpoint override (WA_WEBSOCKET_URL): proxies, tests. */
  readonly waWebSocketUrl?: string;
  /** Baileys' connect (handshake) timeout. */
  readonly connectTimeoutMs: number;
  readonly backoff: BackoffOptions;
  /** After this long connected, the reconnect attempt counter starts over. */
  readonly stableAfterMs: number;
  /** From the first QR: nobody paired by then → `disconnected` reason `pairing_timeout`. */
  readonly pairingTimeoutMs: number;
  /** How long `requestPairingCode` waits for the socket to be able to take the request. */
  readonly pairingCodeWaitMs: number;
  /** How long `send` waits for Baileys before failing with the retryable `timeout`. */
  readonly sendTimeoutMs: number;
  /** Bound of the sent-message store answering re-encryption requests. */
  readonly sentMessageLimit: number;
  /** Stop with `disconnected` reason `network` after this many failed reconnects; unlimited when absent. */
  readonly maxReconnectAttempts?: number;
}

export const DEFAULT_SESSION_TUNING: SessionTuning = {
  connectTimeoutMs: 20_000,
  backoff: { initialDelayMs: 1_000, maxDelayMs: 60_000, jitter: 0.2 },
  stableAfterMs: 60_000,
  pairingTimeoutMs: 180_000,
  pairingCodeWaitMs: 15_000,
  sendTimeoutMs: 60_000,
  sentMessageLimit: 1_000,
};

export interface BaileysSessionOptions {
  readonly instanceId: string;
  readonly listener: SessionListener;
  readonly authStore: FileAuthStore;
  readonly socketFactory: BaileysSocketFactory;
  readonly logger: Logger;
  readonly tuning: SessionTuning;
  /** Randomness for backoff jitter (tests pin it). */
  readonly random?: () => number;
  readonly now?: () => Date;
  /** The options of a poll the instance sent, by WhatsApp id (the messages table), to read votes after a restart. */
  readonly pollOptions?: (whatsappId: string) => Promise<readonly string[] | null>;
}
