/*
 * One HTTP exchange under the policy, inside one deadline: check the URL again (fresh resolution), open
 * a dedicated undici Client pinned to the approved addresses, send, let the caller read what it needs,
 * and destroy the connection. No connection is reused: a pooled socket would outlive the check that
 * approved it, and per-(origin, address) pooling is not worth that subtlety for webhook volumes.
 * undici's Client never follows redirects; a 3xx is returned like any other status.
 */
import type { OutboundFailure, OutboundMethod } from '@whatisup/core';
import { performance } from 'node:perf_hooks';
import type { ConnectionOptions } from 'node:tls';
import { Client, type Dispatcher } from 'undici';
import { classifyFailure } from './classify-failure.js';
import { createPinnedConnector } from './pinned-connector.js';
import type { TargetChecker } from './check-target.js';
import { isRefusal, refusalFailure } from './url-refusal.js';

export interface PinnedExchangeDeps {
  readonly checkTarget: TargetChecker;
  readonly connectTimeoutMs: number;
  readonly tls?: Pick<ConnectionOptions, 'ca'>;
}

export interface ExchangeRequest {
  readonly method: OutboundMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly timeoutMs: number;
}

export interface ExchangeContext {
  /** The peer address the connection went to. */
  readonly address: string;
  readonly elapsedMs: () => number;
}

/** Reads (part of) the response; may throw, e.g. when the deadline aborts the body stream. */
export type ResponseReader<T> = (response: Dispatcher.ResponseData, context: ExchangeContext) => Promise<T>;

export async function pinnedExchange<T>(
  deps: PinnedExchangeDeps,
  request: ExchangeRequest,
  read: ResponseReader<T>,
): Promise<T | OutboundFailure> {
  const started = performance.now();
  const elapsedMs = (): number => Math.round(performance.now() - started);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), request.timeoutMs);
  let client: Client | undefined;
  try {
    const target = await untilAborted(deps.checkTarget(request.url), deadline.signal);
    if (isRefusal(target)) return refusalFailure(target, elapsedMs());
    let address = '';
    const connectTimeoutMs = Math.min(deps.connectTimeoutMs, request.timeoutMs);
    const connect = createPinnedConnector({ ...target, connectTimeoutMs, tls: deps.tls, onConnected: (peer) => (address = peer) });
    client = new Client(target.url.origin, { connect, headersTimeout: request.timeoutMs, bodyTimeout: request.timeoutMs });
    const response = await client.request({
      method: request.method,
      path: `${target.url.pathname}${target.url.search}`,
      headers: request.headers,
      body: request.body,
      signal: deadline.signal,
    });
    return await read(response, { address, elapsedMs });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'UND_ERR_INVALID_ARG') throw error; // a caller bug, not the network
    return classifyFailure(error, deadline.signal.aborted, elapsedMs());
  } finally {
    clearTimeout(timer);
    await client?.destroy().catch(() => undefined);
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('Deadline passed.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
