/*
 * One open SSE connection. Ordering: the backlog (events after Last-Event-ID, read from the customer's
 * recent window) is written before any live event; the feed holds the live events that arrived after the
 * backlog was read until `subscribe` is called, so nothing published in between is lost or sent twice.
 *
 * Backpressure: events are written as they come; if the client does not read, the bytes queued for it
 * (the response's and the socket's buffers, `writableLength`) grow, and past `maxBufferedBytes` the
 * connection is destroyed instead of buffering without bound. A dropped client reconnects with
 * Last-Event-ID and resumes from the window; so does one whose feed lost its connection (it may have missed
 * events that the window still has). Every exit path (client gone, dropped, feed lost, server shutdown) runs
 * `end` once: it unsubscribes and clears the keepalive timer, so nothing outlives the connection.
 */
import type { PublishedEvent } from '@whatisup/core';
import type { ServerResponse } from 'node:http';
import { isSelected, type EventSelection } from './event-selector.js';
import { commentFrame, eventFrame, resumeWindowExceededFrame, retryFrame } from './sse-frames.js';

export type EndReason = 'client_closed' | 'slow_reader' | 'shutdown' | 'feed_lost';

export interface EventStreamOptions {
  readonly raw: ServerResponse;
  readonly selection: EventSelection;
  /** `onLost`: the feed may have missed events (see core's `OpenedEventFeed.listen`); the stream ends. */
  readonly subscribe: (listener: (event: PublishedEvent) => void, onLost: () => void) => () => void;
  /** Events after the client's Last-Event-ID: a list (possibly empty), null when it fell out of the window, undefined when none was given. */
  readonly backlog: readonly PublishedEvent[] | null | undefined;
  readonly lastEventId: string | null;
  readonly keepaliveMs: number;
  readonly maxBufferedBytes: number;
  readonly retryMs: number;
  readonly shutdown: AbortSignal;
  readonly onEnd?: (reason: EndReason) => void;
}

export function runEventStream(options: EventStreamOptions): void {
  const { raw, selection } = options;
  let ended = false;
  let unsubscribe: () => void = () => undefined;

  const keepalive = setInterval(() => write(commentFrame('keepalive')), options.keepaliveMs);
  const onShutdown = () => end('shutdown');

  function end(reason: EndReason): void {
    if (ended) return;
    ended = true;
    clearInterval(keepalive);
    unsubscribe();
    options.shutdown.removeEventListener('abort', onShutdown);
    raw.off('close', onClose);
    if (reason === 'slow_reader') raw.destroy();
    else if (!raw.writableEnded) raw.end();
    options.onEnd?.(reason);
  }

  function write(frame: string): void {
    if (ended) return;
    raw.write(frame);
    if (raw.writableLength > options.maxBufferedBytes) end('slow_reader');
  }

  const onClose = () => end('client_closed');
  raw.on('close', onClose);
  // A client that left before the stream started emits no further 'close': end now, or its slot leaks.
  if (raw.destroyed) return end('client_closed');
  if (options.shutdown.aborted) return end('shutdown');
  options.shutdown.addEventListener('abort', onShutdown, { once: true });

  write(retryFrame(options.retryMs));
  if (options.backlog === null && options.lastEventId !== null) write(resumeWindowExceededFrame(options.lastEventId));
  for (const event of options.backlog ?? []) if (isSelected(selection, event)) write(eventFrame(event));
  unsubscribe = options.subscribe(
    (event) => {
      if (isSelected(selection, event)) write(eventFrame(event));
    },
    () => end('feed_lost'),
  );
  if (ended) unsubscribe();
}
