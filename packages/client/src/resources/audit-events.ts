import type { AuditEvent, AuditEventFilters, Page, PageParams } from '../api-types.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { Paginated, pageQuery } from '../pagination/paginated.js';
import { ROUTES } from '../routes.js';

type ListAuditEventsParams = PageParams & AuditEventFilters;

/** Every state change of your customer, newest first. */
export class AuditEvents {
  constructor(private readonly transport: Transport) {}

  list(params: ListAuditEventsParams = {}, options: CallOptions = {}): Paginated<AuditEvent> {
    return new Paginated((cursor) => this.listPage({ ...params, cursor }, options), params.cursor);
  }

  listPage(params: ListAuditEventsParams = {}, options: CallOptions = {}): Promise<Page<AuditEvent>> {
    return this.transport.json({ ...ROUTES.listAuditEvents, query: pageQuery(params, params.cursor), retry: true, signal: options.signal });
  }
}
