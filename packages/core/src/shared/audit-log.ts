import type { AuditEvent, NewAuditEvent } from './audit-event.js';
import type { Page, PageRequest } from './pagination.js';

/** Append-only (enforced by the database too): there is no update or delete. */
export interface AuditLog {
  append(event: NewAuditEvent): Promise<AuditEvent>;
  /** The customer's audit events, newest first; `instanceId` narrows to one instance. */
  list(customerId: string, page: PageRequest, filter?: { instanceId?: string }): Promise<Page<AuditEvent>>;
}
