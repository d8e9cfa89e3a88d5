import type {
  Page,
  PageParams,
  RecoverWebhookDeliveriesParams,
  Recovered,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryFilters,
} from '../api-types.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { Paginated, pageQuery } from '../pagination/paginated.js';
import { ROUTES, pathOf } from '../routes.js';
import { call } from './instances.js';

type ListDeliveriesParams = PageParams & WebhookDeliveryFilters;

/** One delivery per (event, endpoint), with its attempts; replayable. */
export class WebhookDeliveries {
  constructor(private readonly transport: Transport) {}

  list(params: ListDeliveriesParams = {}, options: CallOptions = {}): Paginated<WebhookDelivery> {
    return new Paginated((cursor) => this.listPage({ ...params, cursor }, options), params.cursor);
  }

  listPage(params: ListDeliveriesParams = {}, options: CallOptions = {}): Promise<Page<WebhookDelivery>> {
    return this.transport.json({ ...ROUTES.listWebhookDeliveries, query: pageQuery(params, params.cursor), retry: true, signal: options.signal });
  }

  /** With `raw_payload`, the exact text that was signed and sent, and every attempt. */
  get(id: string, options: CallOptions = {}): Promise<WebhookDeliveryDetail> {
    return this.transport.json({ method: 'GET', path: pathOf('getWebhookDelivery', { id }), retry: true, signal: options.signal });
  }

  /** Sends the stored payload again as a new series of attempts. */
  replay(id: string, options: CallOptions = {}): Promise<WebhookDelivery> {
    return call(this.transport, 'replayWebhookDelivery', id, undefined, options);
  }

  /** Replays every failed delivery of an endpoint created since a time. */
  recover(params: RecoverWebhookDeliveriesParams, options: CallOptions = {}): Promise<Recovered> {
    return this.transport.json({ ...ROUTES.recoverWebhookDeliveries, body: params, retry: false, signal: options.signal });
  }
}
