/*
 * `GET /v1/events`: the caller's events as server-sent events (see `sse/`). Declared public because a
 * browser's EventSource cannot send the bearer header; `authenticateStream` checks the header or an
 * event token itself before anything is streamed.
 */
import type { GetInstance, InProcessEventBus, PublishedEvent } from '@whatisup/core';
import type { FastifyRequest } from 'fastify';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { EventStreamQuery, parseEventNames } from '../schemas/session-event-stream-json.js';
import { authenticateStream, type StreamAuthDeps } from '../sse/authenticate-stream.js';
import { selectionFor } from '../sse/event-selector.js';
import { runEventStream, type EndReason } from '../sse/event-stream.js';
import { RESUME_WINDOW_EXCEEDED } from '../sse/sse-frames.js';

export const DEFAULT_KEEPALIVE_MS = 25_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

export interface EventStreamRoutesDeps extends StreamAuthDeps {
  /** The process's event bus (core's `createInProcessEventBus`): live events and the resume window. */
  readonly bus: Pick<InProcessEventBus, 'subscribe' | 'since'>;
  /** Checks `?instance_id=` (404 for an unknown or foreign instance, 403 outside a bound key's scope). */
  readonly getInstance: GetInstance;
  /** Aborted when the server shuts down: every open stream ends (abort it before `app.close()`). */
  readonly shutdown: AbortSignal;
  /** `:` comment every so often; default 25 s. */
  readonly keepaliveMs?: number;
  /** A client with more than this many bytes unread is disconnected; default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** Told when a stream ends and why (metrics, logs, tests). */
  readonly onStreamEnd?: (reason: EndReason) => void;
}

const lastEventIdOf = (request: FastifyRequest, fromQuery: string | undefined): string | null => {
  const header = request.headers['last-event-id'];
  const value = (Array.isArray(header) ? header[0] : header) ?? fromQuery;
  return value === undefined || value.trim() === '' ? null : value.trim();
};

export function eventStreamRoutes(deps: EventStreamRoutesDeps): AnyRouteSpec[] {
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
        'you missed from a recent window (the last 1,000 events of the server). If that event has left the window, ' +
        `the stream first sends \`event: ${RESUME_WINDOW_EXCEEDED}\` (no id) and continues live: re-read state ` +
        'over the REST API.\n\n' +
        `**Liveness**: a \`: keepalive\` comment every ${DEFAULT_KEEPALIVE_MS / 1000} s. A client that stops ` +
        'reading is disconnected rather than buffered without bound; the stream also ends when the server shuts ' +
        'down. Reconnect with Last-Event-ID.',
      tags: ['Events'],
      public: true,
      query: EventStreamQuery,
      response: { status: 200, description: 'An endless `text/event-stream`.' },
      errors: [401, 403, 404],
      handler: async ({ request, reply, query }) => {
        const principal = await authenticateStream(request, deps);
        const events = parseEventNames(query.events);
        const instanceId = query.instance_id === undefined || query.instance_id === '' ? null : query.instance_id;
        if (instanceId !== null) await deps.getInstance(principal, { id: instanceId });
        const lastEventId = lastEventIdOf(request, query.last_event_id);

        reply.hijack();
        reply.raw.writeHead(200, {
          ...(reply.getHeaders() as Record<string, string>),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        reply.raw.socket?.setNoDelay(true);
        // Read the window and subscribe in one tick: the bus is synchronous, so nothing slips in between.
        const backlog: PublishedEvent[] | null | undefined = lastEventId === null ? undefined : deps.bus.since(lastEventId);
        runEventStream({
          raw: reply.raw,
          selection: selectionFor(principal, { instanceId, events }),
          subscribe: (listener) => deps.bus.subscribe(listener),
          backlog,
          lastEventId,
          keepaliveMs: deps.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
          maxBufferedBytes: deps.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
          retryMs: 2_000,
          shutdown: deps.shutdown,
          ...(deps.onStreamEnd === undefined ? {} : { onEnd: deps.onStreamEnd }),
        });
      },
    }),
  ];
}
