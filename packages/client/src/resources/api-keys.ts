import type { ApiKey, CreateApiKeyParams, CreatedApiKey, Page, PageParams } from '../api-types.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { Paginated, pageQuery } from '../pagination/paginated.js';
import { ROUTES } from '../routes.js';
import { call } from './instances.js';

/** API keys of your customer. The full key is in the answer of `create` only. */
export class ApiKeys {
  constructor(private readonly transport: Transport) {}

  create(params: CreateApiKeyParams, options: CallOptions = {}): Promise<CreatedApiKey> {
    return this.transport.json({ ...ROUTES.createApiKey, body: params, retry: false, signal: options.signal });
  }

  list(params: PageParams = {}, options: CallOptions = {}): Paginated<ApiKey> {
    return new Paginated((cursor) => this.listPage({ ...params, cursor }, options), params.cursor);
  }

  listPage(params: PageParams = {}, options: CallOptions = {}): Promise<Page<ApiKey>> {
    return this.transport.json({ ...ROUTES.listApiKeys, query: pageQuery(params, params.cursor), retry: true, signal: options.signal });
  }

  /** Revokes the key and every key it created. */
  revoke(id: string, options: CallOptions = {}): Promise<ApiKey> {
    return call(this.transport, 'revokeApiKey', id, undefined, options);
  }
}
