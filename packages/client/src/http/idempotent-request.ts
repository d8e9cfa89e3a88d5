/*
 * A request that carries an Idempotency-Key: sends, forwards, and the actions staged in an instance's outbox
 * (block, presence, read receipts, edits, revokes). The key is the caller's or a fresh UUID, and the same key
 * goes out on every retry, so a request whose answer was lost is not acted on twice: the server answers the
 * repeat with the first answer and `Idempotent-Replayed: true`.
 */
import type { HttpMethod } from '../routes.js';
import type { CallOptions, Transport } from './transport.js';

export interface SendOptions extends CallOptions {
  /**
   * The request's Idempotency-Key (1-200 printable characters). Default: a random UUID per call. Every retry
   * of that call sends the same key, so a request whose answer was lost is not acted on twice.
   */
  readonly idempotencyKey?: string;
}

/** A 202 with the key it went out with and whether the server answered a repeat. */
export type Idempotent<T> = T & {
  /** The Idempotency-Key of the request: pass it again to repeat the request safely later. */
  readonly idempotencyKey: string;
  /** True when the server had this key (or, for a send, the `client_ref`) already and returned the first answer. */
  readonly replayed: boolean;
};

export async function sendIdempotent<T>(
  transport: Transport,
  request: { readonly method: HttpMethod; readonly path: string; readonly body?: unknown },
  options: SendOptions = {},
): Promise<Idempotent<T>> {
  const idempotencyKey = options.idempotencyKey ?? globalThis.crypto.randomUUID();
  const response = await transport.send({
    ...request,
    headers: { 'idempotency-key': idempotencyKey },
    // The key makes a repeat harmless: the server answers it with the first answer.
    retry: true,
    signal: options.signal,
  });
  const answer = (await response.json()) as T;
  return { ...answer, idempotencyKey, replayed: response.headers.get('idempotent-replayed') === 'true' };
}
