import type {
  CreateWebhookEndpointParams,
  Page,
  PageParams,
  RotateWebhookSecretParams,
  UpdateWebhookEndpointParams,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookTest,
} from '../api-types.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { Paginated, pageQuery } from '../pagination/paginated.js';
import { ROUTES, pathOf } from '../routes.js';
import { call } from './instances.js';

/** Where events are POSTed, signed. The signing secret is in the answers of `create` and `rotateSecret` only. */
export class WebhookEndpoints {
  constructor(private readonly transport: Transport) {}

  create(params: CreateWebhookEndpointParams, options: CallOptions = {}): Promise<WebhookEndpointWithSecret> {
    return this.transport.json({ ...ROUTES.createWebhookEndpoint, body: params, retry: false, signal: options.signal });
  }

  list(params: PageParams = {}, options: CallOptions = {}): Paginated<WebhookEndpoint> {
    return new Paginated((cursor) => this.listPage({ ...params, cursor }, options), params.cursor);
  }

  listPage(params: PageParams = {}, options: CallOptions = {}): Promise<Page<WebhookEndpoint>> {
    return this.transport.json({ ...ROUTES.listWebhookEndpoints, query: pageQuery(params, params.cursor), retry: true, signal: options.signal });
  }

  get(id: string, options: CallOptions = {}): Promise<WebhookEndpoint> {
    return this.transport.json({ method: 'GET', path: pathOf('getWebhookEndpoint', { id }), retry: true, signal: options.signal });
  }

  /** Changes what is sent; absent fields stay, `description: null` clears it. */
  update(id: string, params: UpdateWebhookEndpointParams, options: CallOptions = {}): Promise<WebhookEndpoint> {
    return call(this.transport, 'updateWebhookEndpoint', id, params, options);
  }

  /** Deletes it with its deliveries. */
  delete(id: string, options: CallOptions = {}): Promise<WebhookEndpoint> {
    return call(this.transport, 'deleteWebhookEndpoint', id, undefined, options);
  }

  /** Sends a `webhook.test` event to this endpoint only. */
  test(id: string, options: CallOptions = {}): Promise<WebhookTest> {
    return call(this.transport, 'sendTestWebhook', id, undefined, options);
  }

  /** A new signing secret (yours or a generated one); the old one keeps signing beside it for 24 h. */
  rotateSecret(id: string, params: RotateWebhookSecretParams = {}, options: CallOptions = {}): Promise<WebhookEndpointWithSecret> {
    return call(this.transport, 'rotateWebhookSecret', id, params, options);
  }
}
