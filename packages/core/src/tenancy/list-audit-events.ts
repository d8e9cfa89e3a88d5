import {
  toPageRequest,
  type Principal,
  type AuditEvent,
  type Page,
  type UnitOfWork,
  type PageInput,
} from '../shared/index.js';
import type { TenancyRepositories } from './tenancy-repositories.js';
import { assertInstanceAllowed } from '../instances/index.js';

export interface ListAuditEventsDeps {
  readonly uow: UnitOfWork<TenancyRepositories>;
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
