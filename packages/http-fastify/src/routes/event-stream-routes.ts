/*
 * `GET /v1/events`: the caller's events as server-sent events (see `sse/`). Declared public because a
 * browser's EventSource cannot send the bearer header; `authenticateStream` checks the header or an
 * event token itself before anything is streamed.
 */
import type { EventFeed, GetInstance, OpenedEventFeed, RateLimiter } from '@whatisup/core';
import type { FastifyRequest } from 'fastify';
import { setMaxListeners } from 'node:events';
import { ApiError } from '../lib/api-error.js';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { chargeRequest } from '../plugins/rate-limiting.js';
import { defineRoute } from '../lib/route-spec.js';
import { annotateRequest } from '../plugins/request-context.js';
import { logRequestLine } from '../plugins/request-log.js';
import { EventStreamQuery, parseEventNames } from '../schemas/session-event-stream-json.js';
import { authenticateStream, type StreamAuthDeps } from '../sse/authenticate-stream.js';
import { selectionFor } from '../sse/event-selector.js';
import { runEventStream, type EndReason } from '../sse/event-stream.js';
import { RESUME_WINDOW_EXCEEDED } from '../sse/sse-frames.js';
import { createStreamSlots, type StreamSlot, type StreamSlots } from '../sse/stream-slots.js';

export const DEFAULT_KEEPALIVE_MS = 25_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

export interface EventStreamRoutesDeps extends StreamAuthDeps {
  /**
   * The customer's events and resume window: core's `createInProcessEventFeed` over the process's bus, or a
   * feed shared by every node (Redis), so a stream on any node carries events from all of them.
   */
  readonly feed: EventFeed;
  /** Checks `?instance_id=` (404 for an unknown or foreign instance, 403 outside a bound key's scope). */
  readonly getInstance: GetInstance;
  /** Aborted when the server shuts down: every open stream ends (abort it before `app.close()`). */
  readonly shutdown: AbortSignal;
  /** `:` comment every so often; default 25 s. */
  readonly keepaliveMs?: number;
  /** A client with more than this many bytes unread is disconnected; default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /**
   * Caps on open streams per key, per customer and per process (`ConnectionLimits.streams`, shared with the
   * app so `/readyz` shows them). Default: `DEFAULT_STREAM_CAPS`.
   */
  readonly streams?: StreamSlots;
  /** Each stream opened takes a token from its customer's bucket, like any `/v1` request. Absent: no charge. */
  readonly rateLimiter?: RateLimiter;
  /** Told when a stream ends and why (metrics, logs, tests). */
  readonly onStreamEnd?: (reason: EndReason) => void;
}

const lastEventIdOf = (request: FastifyRequest, fromQuery: string | undefined): string | null => {
  const header = request.headers['last-event-id'];
  const value = (Array.isArray(header) ? header[0] : header) ?? fromQuery;
  return value === undefined || value.trim() === '' ? null : value.trim();
};

/** How long a client refused for too many open streams is asked to wait; streams end when clients leave. */
export const STREAM_CAP_RETRY_AFTER_SECONDS = 10;

const SCOPE_WORDING = { key: 'this API key', customer: 'your account', process: 'this server' } as const;

function streamCapError(refusal: Extract<StreamSlot, { granted: false }>): ApiError {
  return new ApiError(
    429,
    'rate_limited',
    `Too many open event streams for ${SCOPE_WORDING[refusal.scope]} (at most ${refusal.limit}): close one, or ` +
      `retry in ${STREAM_CAP_RETRY_AFTER_SECONDS} s. One stream per client is enough: filter with ?events= and ?instance_id=.`,
    { reason: 'too_many_streams', scope: refusal.scope, limit: refusal.limit, retry_after_seconds: STREAM_CAP_RETRY_AFTER_SECONDS },
  );
}

export function eventStreamRoutes(deps: EventStreamRoutesDeps): AnyRouteSpec[] {
  const streams = deps.streams ?? createStreamSlots();
  // Each open stream listens for shutdown; past Node's default of 10 it would warn of a leak that is not one.
  setMaxListeners(streams.caps.total + 10, deps.shutdown);
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/events',
      operationId: 'streamEvents',
      summary: 'Stream events (SSE)',
      description:
        'Server-sent events (`text/event-stream`): each event as `id: <event_id>`, `event: <name>`, and `data:` ' +
        'with the same JSON envelope webhooks receive. Only your events; a key or token bound to an instance ' +
        'sees that instance only.\n\n' +
        '**Auth**: `Authorization: Bearer <key>`, or, for a browser\'s EventSource, `?token=` with a token from ' +
        '`POST /v1/event-tokens`. An API key in the URL is refused (401) and should be rotated.\n\n' +
        '**Resume**: send `Last-Event-ID` (EventSource does it on reconnect) or `?last_event_id=` to receive what ' +
        'you missed from a recent window (your last 1,000 events, shared by every server node). If that event has left the window, ' +
        `the stream first sends \`event: ${RESUME_WINDOW_EXCEEDED}\` (no id) and continues live: re-read state ` +
        'over the REST API.\n\n' +
        `**Liveness**: a \`: keepalive\` comment every ${DEFAULT_KEEPALIVE_MS / 1000} s. A client that stops ` +
        'reading is disconnected rather than buffered without bound; the stream also ends when the server shuts ' +
        'down. Reconnect with Last-Event-ID.\n\n' +
        '**Limits**: opening a stream costs one request from your rate limit. Open streams are capped per API key, ' +
        'per customer and per server; past a cap the answer is 429 `rate_limited` (`details.reason` ' +
        '`too_many_streams`, `details.scope` `key`, `customer` or `process`) with `Retry-After`.',
      tags: ['Events'],
      public: true,
      query: EventStreamQuery,
      response: { status: 200, description: 'An endless `text/event-stream`.', contentType: 'text/event-stream' },
      errors: [401, 403, 404, 429],
      handler: async ({ request, reply, query }) => {
        const principal = await authenticateStream(request, deps);
        annotateRequest(request, { customer_id: principal.customerId, key_id: principal.keyId });
        if (deps.rateLimiter !== undefined) await chargeRequest(deps.rateLimiter, { request, reply, customerId: principal.customerId });
        const events = parseEventNames(query.events);
        const instanceId = query.instance_id === undefined || query.instance_id === '' ? null : query.instance_id;
        if (instanceId !== null) await deps.getInstance(principal, { id: instanceId });
        const lastEventId = lastEventIdOf(request, query.last_event_id);
        const slot = streams.acquire(principal);
        if (!slot.granted) {
          // A client at its cap tends to retry at once: free its socket instead of keeping it alive.
          reply.header('connection', 'close');
          throw streamCapError(slot);
        }
        const release = slot.release;

        // From here the stream's end releases the slot and closes the feed; every exit path reaches it once.
        let opened: OpenedEventFeed;
        try {
          opened = await deps.feed.open(principal.customerId, lastEventId);
        } catch (error) {
          release();
          throw error;
        }
        try {
          startStream(opened);
        } catch (error) {
          opened.close();
          release();
          throw error;
        }

        function startStream(feed: OpenedEventFeed): void {
          reply.hijack();
          reply.raw.writeHead(200, {
            ...(reply.getHeaders() as Record<string, string>),
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache, no-transform',
            connection: 'keep-alive',
            'x-accel-buffering': 'no',
          });
          reply.raw.socket?.setNoDelay(true);
          logRequestLine(request, reply, 'stream opened');
          // The feed holds what arrives after the backlog was read until the stream listens: none lost or doubled.
          runEventStream({
            raw: reply.raw,
            selection: selectionFor(principal, { instanceId, events }),
            subscribe: (listener, onLost) => {
              feed.listen(listener, onLost);
              return () => feed.close();
            },
            backlog: feed.backlog,
            lastEventId,
            keepaliveMs: deps.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
            maxBufferedBytes: deps.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
            retryMs: 2_000,
            shutdown: deps.shutdown,
            onEnd: (reason) => {
              feed.close();
              release();
              logRequestLine(request, reply, `stream ended (${reason})`);
              deps.onStreamEnd?.(reason);
            },
          });
        }
      },
    }),
  ];
}
