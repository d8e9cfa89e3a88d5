import { DomainError, type Principal, type UnitOfWork } from '../shared/index.js';
import { findInstanceInScope, type InstanceRepositories } from '../instances/index.js';
import type { CallRecord, CallRegistry } from './call-registry.js';
import type { RejectRingingCall } from './reject-ringing-call.js';

export type RejectCall = (principal: Principal, input: { readonly instanceId: string; readonly callId: string }) => Promise<CallRecord>;

export interface RejectCallDeps {
  readonly uow: UnitOfWork<InstanceRepositories>;
  readonly registry: CallRegistry;
  readonly reject: RejectRingingCall;
  /** Whether another node runs the instance's session (it alone knows the call and holds the socket). */
  readonly runsElsewhere: (instanceId: string) => Promise<boolean>;
}

/**
 * `POST /v1/instances/:id/calls/:call_id/reject`: declines a ringing call. Throws not_found (the instance, or
 * a call it never saw or forgot), forbidden, conflict (the call already ended), not_connected, unavailable
 * (another node runs the session: reason `owned_elsewhere`, which the edge forwards; or WhatsApp failed).
 */
export function createRejectCall(deps: RejectCallDeps): RejectCall {
  return async (principal, { instanceId, callId }) => {
    const instance = await findInstanceInScope(deps.uow.repos, principal, instanceId);
    if (await deps.runsElsewhere(instance.id)) {
      throw new DomainError('unavailable', "Another server runs this instance's session; try again shortly.", {
        reason: 'owned_elsewhere',
        retry_after_seconds: 1,
      });
    }
    const call = deps.registry.get(instance.id, callId);
    if (call === null) throw new DomainError('not_found', `No recent call with id ${callId} on this instance.`, { call_id: callId });
    await deps.reject(instance, call, 'api');
    return call;
  };
}
