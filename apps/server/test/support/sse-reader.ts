/*
 * A small server-sent events client over fetch, for reading `GET /v1/events` from a real server the way an
 * integrator's backend would. It parses the wire format (WHATWG HTML, "Server-sent events"): lines of
 * `field: value`, a blank line ends an event, `:` lines are comments, several `data:` lines join with "\n",
 * and a frame without data (e.g. `retry:`) dispatches nothing. It keeps every event it read, so a test can
 * wait for one and also assert what did NOT arrive.
 *
 * The stream is open once `openEventStream` resolves: the server subscribes (on every node, through the
 * event feed) before it writes the response head, so an event published after that is on this stream.
 */
import { until } from '@whatisup/test-infra';

export interface SseEvent {
  /** The `id:` line, or null when the frame had none. */
  readonly id: string | null;
  /** The `event:` line, `message` when absent. */
  readonly event: string;
  readonly data: string;
}

export interface SseStream {
  /** The response status; only a 200 has events. */
  readonly status: number;
  readonly contentType: string | null;
  /** Every event read so far, in arrival order. */
  readonly events: readonly SseEvent[];
  /** How many `:` comment lines arrived (keepalives). */
  readonly comments: number;
  /** Resolves with the first event (already read or still to come) that matches; rejects after `timeoutMs`. */
  waitFor(predicate: (event: SseEvent) => boolean, what: string, timeoutMs?: number): Promise<SseEvent>;
  /** Aborts the request and waits for the reader to stop. */
  close(): Promise<void>;
}

/** `data` as the JSON envelope WhatIsUp sends in every event frame. */
export function envelopeOf<Data = Record<string, unknown>>(
  event: SseEvent,
): { event: string; event_id: string; instance_id: string | null; occurred_at: string; data: Data } {
  return JSON.parse(event.data) as ReturnType<typeof envelopeOf<Data>>;
}

export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  let comments = 0;
  let failure: unknown = null;
  let ended = false;

  let id: string | null = null;
  let name = '';
  let data: string[] = [];
  const onLine = (line: string): void => {
    if (line === '') {
      if (data.length > 0) events.push({ id, event: name === '' ? 'message' : name, data: data.join('\n') });
      id = null;
      name = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) {
      comments += 1;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  };

  const pump = (async () => {
    if (response.body === null) return;
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        const lines = buffered.split(/\r\n|\r|\n/);
        buffered = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      }
    } catch (error) {
      if (!abort.signal.aborted) failure = error;
    } finally {
      ended = true;
    }
  })();

  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    get comments() {
      return comments;
    },
    async waitFor(predicate, what, timeoutMs = 15_000) {
      await until(() => events.some(predicate) || ended, {
        timeoutMs,
        message: () => `no event on the stream: ${what}; read so far: ${events.map((e) => e.event).join(', ') || 'none'}`,
      });
      const found = events.find(predicate);
      if (found === undefined) {
        throw new Error(`the stream ended before ${what} (${failure === null ? 'closed by the server' : String(failure)})`);
      }
      return found;
    },
    async close() {
      abort.abort();
      await pump;
    },
  };
}
