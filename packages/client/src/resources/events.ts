import { EventStream, type EventStreamOptions } from '../events/event-stream.js';
import type { Transport } from '../http/transport.js';

/** The live event stream (`GET /v1/events`, server-sent events). */
export class Events {
  constructor(private readonly transport: Transport) {}

  /**
   * Opens a stream when you start iterating it; it reconnects with `Last-Event-ID` after a drop. Iterate it
   * once: `for await (const event of client.events.stream({ events: ['message.received'] })) ...`.
   */
  stream(options: EventStreamOptions = {}): EventStream {
    return new EventStream(this.transport, options);
  }
}
