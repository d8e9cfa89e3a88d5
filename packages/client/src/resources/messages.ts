import type {
  ActionAccepted,
  EditMessageParams,
  ForwardMessageParams,
  MessageAccepted,
  Message,
  MessageDetail,
  MessageFilters,
  Page,
  PageParams,
  SendMessageParams,
  SendMessageWithInstanceParams,
} from '../api-types.js';
import { sendIdempotent, type Idempotent, type SendOptions } from '../http/idempotent-request.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { Paginated, pageQuery } from '../pagination/paginated.js';
import { ROUTES, pathOf, routeOf } from '../routes.js';

/** The 202 of a send or a forward, with the key it went out with and whether the server answered a repeat. */
export type SentMessage = Idempotent<MessageAccepted>;

/** The 202 of an action staged in the instance's outbox (edit, revoke, block, ...), like a send's. */
export type AcceptedAction = Idempotent<ActionAccepted>;

type ListMessagesParams = PageParams & MessageFilters;

/** Outbound messages. */
export class Messages {
  constructor(private readonly transport: Transport) {}

  /** Sends through `POST /v1/instances/{id}/messages`; answers as soon as the message is queued. */
  send(instanceId: string, params: SendMessageParams, options?: SendOptions): Promise<SentMessage>;
  /** Sends through `POST /v1/messages`, the instance given as `instance_id`. */
  send(params: SendMessageWithInstanceParams, options?: SendOptions): Promise<SentMessage>;
  async send(
    first: string | SendMessageWithInstanceParams,
    second?: SendMessageParams | SendOptions,
    third?: SendOptions,
  ): Promise<SentMessage> {
    const [path, body, options] =
      typeof first === 'string'
        ? [pathOf('sendMessage', { id: first }), second as SendMessageParams, third ?? {}]
        : [ROUTES.sendMessageToInstance.path, first, (second as SendOptions | undefined) ?? {}];
    return sendIdempotent<MessageAccepted>(this.transport, { method: 'POST', path, body }, options);
  }

  /**
   * Sends the content of one of your messages to `params.to` from the same instance, shown as "Forwarded": a
   * new message with its own `msg_` id, answered like a send.
   */
  forward(id: string, params: ForwardMessageParams, options?: SendOptions): Promise<SentMessage> {
    return sendIdempotent<MessageAccepted>(this.transport, { ...routeOf('forwardMessage', { id }), body: params }, options);
  }

  /** Replaces the text of a text message you sent (within 15 minutes); `message.edited` follows. */
  edit(id: string, params: EditMessageParams, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, { ...routeOf('editMessage', { id }), body: params }, options);
  }

  /** Deletes a message you sent for everyone; `message.revoked` follows. */
  revoke(id: string, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, routeOf('revokeMessage', { id }), options);
  }

  /** One message with its status trail. */
  get(id: string, options: CallOptions = {}): Promise<MessageDetail> {
    return this.transport.json({ method: 'GET', path: pathOf('getMessage', { id }), retry: true, signal: options.signal });
  }

  /** Every outbound message matching the filters, newest first, fetched page by page as you iterate. */
  list(params: ListMessagesParams = {}, options: CallOptions = {}): Paginated<Message> {
    return new Paginated((cursor) => this.listPage({ ...params, cursor }, options), params.cursor);
  }

  /** One page of outbound messages. */
  listPage(params: ListMessagesParams = {}, options: CallOptions = {}): Promise<Page<Message>> {
    return this.transport.json({ ...ROUTES.listMessages, query: pageQuery(params, params.cursor), retry: true, signal: options.signal });
  }
}
