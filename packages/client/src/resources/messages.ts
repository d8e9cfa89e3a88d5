import type {
  MessageAccepted,
  Message,
  MessageDetail,
  MessageFilters,
  Page,
  PageParams,
  SendMessageParams,
  SendMessageWithInstanceParams,
} from '../api-types.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { Paginated, pageQuery } from '../pagination/paginated.js';
import { ROUTES, pathOf } from '../routes.js';

export interface SendOptions extends CallOptions {
  /**
   * The request's Idempotency-Key (1-200 printable characters). Default: a random UUID per call. Every retry
   * of that call sends the same key, so a send whose answer was lost is not sent twice.
   */
  readonly idempotencyKey?: string;
}

/** The 202 of a send, with the key it went out with and whether the server answered a repeat. */
export type SentMessage = MessageAccepted & {
  /** The Idempotency-Key of the request: pass it again to repeat the send safely later. */
  readonly idempotencyKey: string;
  /** True when the server had this key (or `client_ref`) already and returned the first answer. */
  readonly replayed: boolean;
};

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
    const idempotencyKey = options.idempotencyKey ?? globalThis.crypto.randomUUID();
    const response = await this.transport.send({
      method: 'POST',
      path,
      body,
      headers: { 'idempotency-key': idempotencyKey },
      // The key makes a repeat harmless: the server answers it with the first answer.
      retry: true,
      signal: options.signal,
    });
    const accepted = (await response.json()) as MessageAccepted;
    return { ...accepted, idempotencyKey, replayed: response.headers.get('idempotent-replayed') === 'true' };
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
