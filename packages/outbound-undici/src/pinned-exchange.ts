/*
 * One HTTP exchange under the policy, inside one deadline: check the URL again (fresh resolution), take a
 * connection pinned to the approved addresses (a kept-alive one made for the same origin and addresses, or a
 * new one: pinned-connections.ts), send, let the caller read what it needs, and give the connection back,
 * reusable only when the response was read to its end. undici's Client never follows redirects; a 3xx is
 * returned like any other status.
 */
import type { OutboundFailure, OutboundMethod } from '@whatisup/core';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { classifyFailure } from './classify-failure.js';
import type { PinnedClient, PinnedConnections } from './pinned-connections.js';
import type { TargetChecker } from './check-target.js';
import { isRefusal, refusalFailure } from './url-refusal.js';

export interface PinnedExchangeDeps {
  readonly checkTarget: TargetChecker;
  readonly connections: PinnedConnections;
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
  let connection: PinnedClient | undefined;
  let reusable = false;
  try {
    const target = await untilAborted(deps.checkTarget(request.url), deadline.signal);
    if (isRefusal(target)) return refusalFailure(target, elapsedMs());
    connection = deps.connections.take(target, request.timeoutMs);
    const { address } = connection;
    const response = await connection.client.request({
      method: request.method,
      path: `${target.url.pathname}${target.url.search}`,
      headers: request.headers,
      body: request.body,
      signal: deadline.signal,
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
    });
    const result = await read(response, { address: address(), elapsedMs });
    reusable = response.body.readableEnded && !deadline.signal.aborted;
    return result;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'UND_ERR_INVALID_ARG') throw error; // a caller bug, not the network
    return classifyFailure(error, deadline.signal.aborted, elapsedMs());
  } finally {
    clearTimeout(timer);
    if (connection !== undefined) await deps.connections.giveBack(connection, reusable);
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('Deadline passed.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
