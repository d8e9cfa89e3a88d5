import type {
  CreateInstanceParams,
  InjectedEvent,
  InjectedMessage,
  SandboxEventParams,
  Instance,
  Page,
  PageParams,
  PairCode,
  PairCodeParams,
  Qr,
  SandboxInboundParams,
  SandboxGroupEvent,
  SandboxGroupEventParams,
} from '../api-types.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { Paginated, pageQuery } from '../pagination/paginated.js';
import { ROUTES, pathOf, type OperationId } from '../routes.js';

/** The sandbox's controls: only for instances created with `kind: "sandbox"`. */
export class SandboxControls {
  constructor(private readonly transport: Transport) {}

  /** Completes pairing now, as if the phone scanned the QR (instead of waiting for the automatic scan). */
  async scan(id: string, options: CallOptions = {}): Promise<void> {
    await call<null>(this.transport, 'scanSandboxQr', id, undefined, options);
  }

  /** Injects an inbound message: a `message.received` event follows, as from a real phone. */
  inbound(id: string, params: SandboxInboundParams, options: CallOptions = {}): Promise<InjectedMessage> {
    return call(this.transport, 'injectSandboxMessage', id, params, options);
  }

  /**
   * Makes the phone report a call (`kind: "call"`: `call.offered`), its end (`"call_end"`: `call.terminated`) or
   * a view of a status post (`"story_view"`: `story.viewed`), by the sandbox's documented rules.
   */
  event(id: string, params: SandboxEventParams, options: CallOptions = {}): Promise<InjectedEvent> {
    return call(this.transport, 'injectSandboxMessage', id, params, options);
  }

  /** Plays what another person does in a group (adds this number, asks to join, joins, leaves, renames); `group.*` events follow. */
  groupEvent(id: string, params: SandboxGroupEventParams, options: CallOptions = {}): Promise<SandboxGroupEvent> {
    return call(this.transport, 'injectSandboxGroupEvent', id, params, options);
  }
}

/** WhatsApp instances (one phone number each) and their pairing. */
export class Instances {
  readonly sandbox: SandboxControls;

  constructor(private readonly transport: Transport) {
    this.sandbox = new SandboxControls(transport);
  }

  /** Creates an instance (`pending`); `kind: "sandbox"` makes a simulated phone. */
  create(params: CreateInstanceParams, options: CallOptions = {}): Promise<Instance> {
    return this.transport.json({ ...ROUTES.createInstance, body: params, retry: false, signal: options.signal });
  }

  /** Every instance, newest first, fetched page by page as you iterate. */
  list(params: PageParams = {}, options: CallOptions = {}): Paginated<Instance> {
    return new Paginated((cursor) => this.listPage({ ...params, cursor }, options), params.cursor);
  }

  /** One page of instances. */
  listPage(params: PageParams = {}, options: CallOptions = {}): Promise<Page<Instance>> {
    return this.transport.json({ ...ROUTES.listInstances, query: pageQuery(params, params.cursor), retry: true, signal: options.signal });
  }

  get(id: string, options: CallOptions = {}): Promise<Instance> {
    return this.transport.json({ method: 'GET', path: pathOf('getInstance', { id }), retry: true, signal: options.signal });
  }

  /** Stops the session, logs the device out, revokes keys bound to it and soft-deletes it. */
  delete(id: string, options: CallOptions = {}): Promise<Instance> {
    return call(this.transport, 'deleteInstance', id, undefined, options);
  }

  /** Starts the session (202); a QR (`qr.updated`) or the connection follows. */
  connect(id: string, options: CallOptions = {}): Promise<Instance> {
    return call(this.transport, 'connectInstance', id, undefined, options);
  }

  /** The current QR (waits up to ~10 s for one; starts the session when it is not running). */
  qr(id: string, options: CallOptions = {}): Promise<Qr> {
    // Not retried: it may start a session, and a wait that timed out is better reported than repeated.
    return call(this.transport, 'getInstanceQr', id, undefined, options);
  }

  /** An 8-character code to type on the phone instead of scanning the QR. */
  pairCode(id: string, params: PairCodeParams, options: CallOptions = {}): Promise<PairCode> {
    return call(this.transport, 'requestPairingCode', id, params, options);
  }

  /** Ends the pairing and wipes the credentials. */
  logout(id: string, options: CallOptions = {}): Promise<Instance> {
    return call(this.transport, 'logoutInstance', id, undefined, options);
  }

  /** Reconnects the session. */
  restart(id: string, options: CallOptions = {}): Promise<Instance> {
    return call(this.transport, 'restartInstance', id, undefined, options);
  }
}

/** A request to a route with one `{id}` and an optional body, not retried (it changes state). */
export function call<T>(transport: Transport, operation: OperationId, id: string, body: unknown, options: CallOptions): Promise<T> {
  return transport.json<T>({
    method: ROUTES[operation].method,
    path: pathOf(operation, { id }),
    body,
    retry: false,
    signal: options.signal,
  });
}
