import type { CreateEventTokenParams, EventToken } from '../api-types.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { ROUTES } from '../routes.js';

/** Short-lived tokens that read events only: for a browser's EventSource and the pairing page. */
export class EventTokens {
  constructor(private readonly transport: Transport) {}

  create(params: CreateEventTokenParams = {}, options: CallOptions = {}): Promise<EventToken> {
    return this.transport.json({ ...ROUTES.createEventToken, body: params, retry: false, signal: options.signal });
  }

  /**
   * The pairing page for an instance-scoped token: hand this link to the person holding the phone. It shows
   * the live QR, then "Connected". (Served by this server; `PUBLIC_URL` may differ behind a proxy.)
   */
  pairingUrl(token: string): string {
    return this.transport.url(ROUTES.pairingPage.path, { token });
  }

  /** The event stream's URL for a browser's EventSource, authenticated by an event token. */
  eventSourceUrl(token: string, params: { instance_id?: string; events?: readonly string[] } = {}): string {
    return this.transport.url(ROUTES.streamEvents.path, {
      token,
      instance_id: params.instance_id,
      events: params.events?.join(','),
    });
  }
}
