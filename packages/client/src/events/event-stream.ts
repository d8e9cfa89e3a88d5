/*
 * `GET /v1/events` as an async iterator of typed events, over fetch (so it runs in Node, where there is no
 * EventSource, and sends the API key as a header, never in the URL).
 *
 * When the stream drops (the server restarts, a proxy cuts it, the network fails, or the server disconnects
 * a reader that fell behind) it reconnects on its own, sending `Last-Event-ID` with the id of the last event
 * it yielded, so the server replays what was missed from its recent window. It waits the server's `retry:`
 * before reconnecting after a drop; a refused connection (no response, 429, 5xx) backs off from there, or
 * waits the `Retry-After` the server gave. Any other refusal (401, 403, 404, 400) ends the iteration with
 * its WhatIsUpError. Aborting the signal, or leaving the `for await` loop, closes the connection and ends the
 * iteration without an error.
 */
import type { EventName, WebhookEvent } from '../api-types.js';
import { WhatIsUpError } from '../errors/whatisup-error.js';
import { backoffMs, sleep, type Transport } from '../http/transport.js';
import { ROUTES } from '../routes.js';
import { createSseParser, type SseMessage } from './sse-parser.js';

export const RESUME_WINDOW_EXCEEDED = 'stream.resume_window_exceeded';

/**
 * The stream's own notice (no id, outside the event catalogue): the event to resume after had left the
 * server's recent window, so events may have been missed. Re-read state over the REST API.
 */
export interface ResumeWindowExceeded {
  readonly event: typeof RESUME_WINDOW_EXCEEDED;
  readonly event_id: null;
  readonly data: { readonly last_event_id: string; readonly message: string };
}

/** What the stream yields: an event (narrow on `event` to type `data`), or the stream's notice. */
export type StreamItem = WebhookEvent | ResumeWindowExceeded;

export interface EventStreamOptions {
  /** Only this instance's events. */
  readonly instance_id?: string;
  /** Only these events (default: all). */
  readonly events?: readonly EventName[];
  /** Resume after this event id (e.g. one you stored from an earlier stream's `lastEventId`). */
  readonly lastEventId?: string;
  /** Ends the stream. */
  readonly signal?: AbortSignal;
  /** Reconnect after a drop (default true). False: the iteration ends when the connection does. */
  readonly reconnect?: boolean;
  /** Wait before reconnecting until the server says otherwise with `retry:`. Default 1000 ms. */
  readonly retryMs?: number;
  /** The longest wait between reconnection attempts. Default 30 s. */
  readonly maxRetryMs?: number;
  /** Called each time a connection is open (the server sends every later event on it). */
  readonly onOpen?: () => void;
}

export class EventStream implements AsyncIterable<StreamItem> {
  private last: string | null;
  private readonly controller = new AbortController();

  constructor(
    private readonly transport: Transport,
    private readonly options: EventStreamOptions = {},
  ) {
    this.last = options.lastEventId ?? null;
    const signal = options.signal;
    if (signal?.aborted) this.controller.abort();
    else signal?.addEventListener('abort', () => this.controller.abort(), { once: true });
  }

  /** The id of the last event yielded: store it to resume a later stream from there. */
  get lastEventId(): string | null {
    return this.last;
  }

  /** Ends the stream, as aborting its signal does. */
  close(): void {
    this.controller.abort();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<StreamItem, void, undefined> {
    const signal = this.controller.signal;
    let retryMs = this.options.retryMs ?? 1000;
    const maxRetryMs = this.options.maxRetryMs ?? 30_000;
    let failures = 0;
    try {
      while (!signal.aborted) {
        let response: Response;
        try {
          response = await this.open(signal);
        } catch (error) {
          if (signal.aborted) return;
          if (this.options.reconnect === false || !worthRetrying(error)) throw error;
          const wait = (error as WhatIsUpError).retryAfter;
          failures += 1;
          if (!(await pause(wait !== null ? wait * 1000 : Math.min(maxRetryMs, backoffMs(failures - 1, retryMs, maxRetryMs)), signal))) return;
          continue;
        }
        failures = 0;
        this.options.onOpen?.();
        const items: StreamItem[] = [];
        const parser = createSseParser(
          {
            onEvent: (message) => items.push(toItem(message)),
            onRetry: (ms) => {
              retryMs = ms;
            },
          },
          { lastEventId: this.last ?? '' },
        );
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            parser.feed(decoder.decode(value, { stream: true }));
            while (items.length > 0) {
              const item = items.shift()!;
              if (item.event_id !== null) this.last = item.event_id;
              yield item;
            }
          }
        } catch (error) {
          if (signal.aborted) return;
          if (error instanceof WhatIsUpError) throw error; // a frame that is not an event: a bug, not a drop
          // The connection dropped mid-stream: reconnect below.
        } finally {
          reader.cancel().catch(() => undefined);
        }
        if (this.options.reconnect === false) return;
        if (!(await pause(retryMs, signal))) return;
      }
    } finally {
      // Leaving the loop early (break, return, an error) must close the connection too.
      this.controller.abort();
    }
  }

  private open(signal: AbortSignal): Promise<Response> {
    return this.transport.send(
      {
        method: ROUTES.streamEvents.method,
        path: ROUTES.streamEvents.path,
        query: { instance_id: this.options.instance_id, events: this.options.events?.join(',') },
        headers: { accept: 'text/event-stream', ...(this.last === null ? {} : { 'last-event-id': this.last }) },
        retry: false,
        signal,
      },
      { stream: true },
    );
  }
}

function toItem(message: SseMessage): StreamItem {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    throw new WhatIsUpError({ status: null, code: 'unexpected_response', message: `An event-stream frame is not JSON: ${message.data.slice(0, 200)}` });
  }
  if (message.event === RESUME_WINDOW_EXCEEDED) {
    return { event: RESUME_WINDOW_EXCEEDED, event_id: null, data: data as ResumeWindowExceeded['data'] };
  }
  return data as WebhookEvent;
}

/** No response, 429 and 5xx are passing; other refusals (auth, a bad filter, no such instance) are not. */
function worthRetrying(error: unknown): boolean {
  if (!(error instanceof WhatIsUpError)) return false;
  return error.status === null || error.status === 429 || error.status >= 500;
}

/** Waits; false when the signal aborted meanwhile. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}
