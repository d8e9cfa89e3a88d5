/*
 * An incremental parser of the `text/event-stream` format, as WHATWG HTML ("Server-sent events",
 * "Event stream interpretation") defines it:
 *  - lines end in CRLF, LF or CR; a chunk may end between the CR and the LF of one line ending;
 *  - one leading UTF-8 BOM is skipped (decoding is the caller's: feed text, not bytes);
 *  - `field: value` (one space after the colon is dropped), or `field` alone with an empty value;
 *  - a line starting with `:` is a comment;
 *  - `data` lines append to the data buffer, joined with "\n"; `event` sets the type (default `message`);
 *    `id` sets the last event id buffer unless the value holds NULL, and it persists across events (an `id`
 *    with an empty value resets it); `retry` with ASCII digits only sets the reconnection time;
 *  - a blank line makes the buffered id the stream's last event id (even for a frame without data), then
 *    dispatches the event unless the data buffer is empty; unknown fields are ignored;
 *  - an event still incomplete when the stream ends is discarded.
 */

export interface SseMessage {
  /** The last event id when this event was dispatched ('' when none was ever set). */
  readonly id: string;
  /** The `event:` field, `message` when absent. */
  readonly event: string;
  readonly data: string;
}

export interface SseParserHandlers {
  onEvent(message: SseMessage): void;
  /** A `retry:` field: how long to wait before reconnecting, in milliseconds. */
  onRetry?(ms: number): void;
  /** A comment line (e.g. the server's keepalive), without its leading `:`. */
  onComment?(text: string): void;
}

export interface SseParser {
  /** Parses the next piece of decoded text; handlers run synchronously for each complete line. */
  feed(text: string): void;
  /** The id of the last complete frame (what a reconnect sends as `Last-Event-ID`); '' when none. */
  readonly lastEventId: string;
}

export function createSseParser(handlers: SseParserHandlers, options: { readonly lastEventId?: string } = {}): SseParser {
  let buffer = '';
  let started = false;
  /** The previous chunk ended in CR: an LF starting the next one belongs to that line ending. */
  let pendingCr = false;
  let lastEventId = options.lastEventId ?? '';
  let idBuffer = lastEventId;
  let eventType = '';
  let data: string[] = [];

  function dispatch(): void {
    lastEventId = idBuffer;
    const type = eventType;
    eventType = '';
    if (data.length === 0) return;
    const joined = data.join('\n');
    data = [];
    handlers.onEvent({ id: lastEventId, event: type === '' ? 'message' : type, data: joined });
  }

  function processLine(line: string): void {
    if (line === '') return dispatch();
    if (line.startsWith(':')) {
      handlers.onComment?.(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        data.push(value);
        break;
      case 'event':
        eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) idBuffer = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) handlers.onRetry?.(Number(value));
        break;
      default:
      // ignored, as the standard says
    }
  }

  return {
    get lastEventId() {
      return lastEventId;
    },
    feed(text: string): void {
      let chunk = text;
      if (!started && chunk.length > 0) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      if (pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
      pendingCr = false;
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 0x0a && c !== 0x0d) continue;
        processLine(buffer.slice(start, i));
        if (c === 0x0d) {
          if (i + 1 < buffer.length) {
            if (buffer.charCodeAt(i + 1) === 0x0a) i++;
          } else {
            pendingCr = true;
          }
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
  };
}
