/*
 * What to do when Baileys reports `connection: 'close'`, by the status code of the disconnect error
 * (Baileys' DisconnectReason values; read from `error.output.statusCode` so we need not import Boom).
 * 401 logged out → stop, wipe credentials.   515 restart required → reconnect at once (normal after pairing).
 * 440 replaced    → stop, no loop.           500 bad session, 411 multi-device mismatch, 403 forbidden →
 * stop: retrying cannot fix them, a new pairing can.   Everything else (408, 428, 503, no code) is the
 * network: retry with capped exponential backoff and full-range ±jitter.
 */
import type { SessionDisconnectReason } from '@whatisup/core';

export type DisconnectAction =
  | { readonly kind: 'stop'; readonly reason: SessionDisconnectReason; readonly wipeCredentials: boolean }
  | { readonly kind: 'restart' }
  | { readonly kind: 'retry'; readonly reason: string };

export function statusCodeOf(error: unknown): number | undefined {
  const output = (error as { output?: { statusCode?: unknown } } | null | undefined)?.output;
  return typeof output?.statusCode === 'number' ? output.statusCode : undefined;
}

export function classifyDisconnect(error: unknown): DisconnectAction {
  const code = statusCodeOf(error);
  switch (code) {
    case 401:
      return { kind: 'stop', reason: 'logout', wipeCredentials: true };
    case 440:
      return { kind: 'stop', reason: 'kicked_other_device', wipeCredentials: false };
    case 403:
    case 411:
    case 500:
      return { kind: 'stop', reason: 'session_invalidated', wipeCredentials: true };
    case 515:
      return { kind: 'restart' };
    case 408:
      return { kind: 'retry', reason: 'timed_out' };
    case 428:
      return { kind: 'retry', reason: 'connection_closed' };
    default:
      return { kind: 'retry', reason: code === undefined ? 'network' : `status_${code}` };
  }
}

export interface BackoffOptions {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Fraction of the delay added or removed at random (0.2 → ±20 %). */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 1_000, maxDelayMs: 60_000, jitter: 0.2 };

/** Delay before reconnect attempt `attempt` (1-based): initial·2^(attempt-1), capped, then jittered. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = base * (1 + options.jitter * (2 * random() - 1));
  return Math.max(0, Math.round(Math.min(jittered, options.maxDelayMs)));
}
