import type { Principal } from '../shared/actor.js';
import type { AuditEvent } from '../shared/audit-event.js';
import type { Page } from '../shared/pagination.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { assertInstanceAllowed } from '../instances/instance-scope.js';
import { toPageRequest, type PageInput } from '../shared/page-input.js';

export interface ListAuditEventsDeps {
  readonly uow: UnitOfWork;
}

export interface ListAuditEventsInput extends PageInput {
  /** Only events about this instance (deleted instances included: the log outlives them). */
  readonly instanceId?: string | undefined;
}

export type ListAuditEvents = (principal: Principal, input?: ListAuditEventsInput) => Promise<Page<AuditEvent>>;

/**
 * The customer's audit events, newest first. A key bound to an instance sees only that instance's events
 * and gets `forbidden` when it asks for another. Throws `invalid_input` for a bad limit.
 */
export function createListAuditEvents({ uow }: ListAuditEventsDeps): ListAuditEvents {
  return async (principal, input = {}) => {
    const page = toPageRequest(input);
    if (input.instanceId !== undefined) assertInstanceAllowed(principal, input.instanceId);
    const instanceId = input.instanceId ?? principal.instanceId ?? undefined;
    return uow.repos.audit.list(principal.customerId, page, instanceId === undefined ? {} : { instanceId });
  };
}
