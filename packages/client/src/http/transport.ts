/*
 * One request over the global fetch: the API key, JSON in and out, a timeout, typed errors, and retries.
 *
 * Retries are for requests that are safe to repeat: reads, deletes, and sends carrying an Idempotency-Key
 * (the same headers, so the same key, go out on every attempt; the server answers a repeat with the first
 * answer). They happen when no response arrived (connection error or timeout) and on 429, 502, 503 and 504,
 * after `Retry-After` when the server gave one, else after an exponential backoff with jitter. Anything else
 * is thrown at once. A caller's abort is never retried and is rethrown as is.
 */
import { errorFromResponse } from '../errors/error-from-response.js';
import { WhatIsUpConnectionError, WhatIsUpError, WhatIsUpTimeoutError } from '../errors/whatisup-error.js';
import type { HttpMethod } from '../routes.js';

export interface TransportOptions {
  /** The server, e.g. `https://wa.example.com` (no `/v1`). */
  readonly baseUrl: string;
  /** `wiu_...`; sent as `Authorization: Bearer`. Optional only for the public routes (health, metrics). */
  readonly apiKey?: string;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Attempts after the first for requests that are safe to repeat. Default 2. */
  readonly maxRetries?: number;
  /** For one attempt, until the whole response is read (for a stream: until its headers arrive). Default 30 s. */
  readonly timeoutMs?: number;
  /** Sent with every request (e.g. a User-Agent of your own). */
  readonly headers?: Record<string, string>;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface TransportRequest {
  readonly method: HttpMethod;
  /** Path and nothing else: `/v1/instances/inst_...`. */
  readonly path: string;
  readonly query?: Record<string, QueryValue> | undefined;
  /** Serialised as JSON when present. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Sends no API key (the public routes outside `/v1`, which want none). */
  readonly anonymous?: boolean;
  /** Whether repeating the request is harmless; only then is it retried. */
  readonly retry: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** Per-call options every method takes. */
export interface CallOptions {
  /** Aborts the request (and its retries); the abort reason is thrown. */
  readonly signal?: AbortSignal;
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Longer waits than this are the caller's decision: the error is thrown with its `retryAfter`. */
const MAX_RETRY_AFTER_SECONDS = 60;

export interface Transport {
  readonly baseUrl: string;
  /** The response of a 2xx, body unread; the caller must read or cancel it. Throws WhatIsUpError otherwise. */
  send(request: TransportRequest, options?: { readonly stream?: boolean }): Promise<Response>;
  /** `send`, then the JSON body. */
  json<T>(request: TransportRequest): Promise<T>;
  /** The URL of `path` with `query`, on this server. */
  url(path: string, query?: Record<string, QueryValue>): string;
}

export function createTransport(options: TransportOptions): Transport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const maxRetries = options.maxRetries ?? 2;
  const timeoutMs = options.timeoutMs ?? 30_000;

  function url(path: string, query: Record<string, QueryValue> = {}): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) search.set(name, String(value));
    }
    const text = search.toString();
    return `${baseUrl}${path}${text === '' ? '' : `?${text}`}`;
  }

  function headersOf(request: TransportRequest): Record<string, string> {
    return {
      accept: 'application/json',
      ...options.headers,
      ...(options.apiKey === undefined || request.anonymous === true ? {} : { authorization: `Bearer ${options.apiKey}` }),
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
    };
  }

  /**
   * One attempt; the timeout ends once `read` has what it needs. For a stream the caller's signal stays linked
   * after the attempt, so aborting it also ends the body being read.
   */
  async function attempt(
    request: TransportRequest,
    headers: Record<string, string>,
    body: string | undefined,
    read: (response: Response) => Promise<unknown>,
    stream: boolean,
  ): Promise<unknown> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let linked = false;
    try {
      let response: Response;
      try {
        response = await fetchImpl(url(request.path, request.query), { method: request.method, headers, body, signal: controller.signal });
      } catch (error) {
        throw connectionFailure(error, request.signal, timedOut);
      }
      if (!response.ok) throw await errorFromResponse(response).catch((error: unknown) => connectionFailure(error, request.signal, timedOut));
      try {
        const result = await read(response);
        linked = stream;
        return result;
      } catch (error) {
        if (error instanceof WhatIsUpError) throw error;
        throw connectionFailure(error, request.signal, timedOut);
      }
    } finally {
      clearTimeout(timer);
      if (!linked) request.signal?.removeEventListener('abort', onAbort);
    }
  }

  function connectionFailure(error: unknown, signal: AbortSignal | undefined, timedOut: boolean): unknown {
    if (signal?.aborted) return signal.reason;
    if (timedOut) return new WhatIsUpTimeoutError(timeoutMs);
    if (error instanceof WhatIsUpError) return error;
    return new WhatIsUpConnectionError(`The request got no response: ${(error as Error)?.message ?? String(error)}`, error);
  }

  async function withRetries<T>(request: TransportRequest, read: (response: Response) => Promise<T>, stream = false): Promise<T> {
    const headers = headersOf(request);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    for (let retry = 0; ; retry++) {
      try {
        return (await attempt(request, headers, body, read, stream)) as T;
      } catch (error) {
        const delayMs = request.retry && retry < maxRetries ? retryDelayMs(error, retry) : null;
        if (delayMs === null) throw error;
        await sleep(delayMs, request.signal);
      }
    }
  }

  return {
    baseUrl,
    url,
    // A stream's body outlives the attempt: its timeout covers the headers only, and the body is left unread.
    send: (request, sendOptions = {}) =>
      withRetries(
        request,
        async (response) => {
          if (sendOptions.stream) return response;
          const bytes = await response.arrayBuffer();
          return new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
        },
        sendOptions.stream === true,
      ),
    json: <T>(request: TransportRequest) =>
      withRetries(request, async (response) => {
        const text = await response.text();
        if (text === '') return null as T;
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new WhatIsUpError({
            status: response.status,
            code: 'unexpected_response',
            message: `HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
            requestId: response.headers.get('x-request-id'),
          });
        }
      }),
  };
}

/** Null: do not retry this error. */
function retryDelayMs(error: unknown, retry: number): number | null {
  if (!(error instanceof WhatIsUpError)) return null; // a caller's abort, or a bug
  if (error.status !== null && !RETRYABLE_STATUSES.has(error.status)) return null;
  if (error.retryAfter !== null) return error.retryAfter <= MAX_RETRY_AFTER_SECONDS ? error.retryAfter * 1000 : null;
  return backoffMs(retry);
}

/** 0.5 s, 1 s, 2 s, ... up to 8 s, each between half and all of that (full jitter would allow ~0). */
export function backoffMs(retry: number, baseMs = 500, maxMs = 8_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retry);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
