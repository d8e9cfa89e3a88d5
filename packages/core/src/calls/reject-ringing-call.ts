/*
 * Declines a ringing call through the instance's live session and records `call.terminated` (reason
 * `rejected`), for both the `reject_calls` setting and `POST …/calls/:call_id/reject`. The reject is performed
 * at once, not staged in the outbox: a reject that waited behind queued sends would reach a caller who
 * already gave up. While it is on its way the call is `rejecting`, so a second reject finds it no longer
 * ringing and a terminate the phone reports meanwhile is not recorded twice.
 */
import { DomainError, type Clock, type UnitOfWork } from '../shared/index.js';
import type { EventRecorder } from '../events/index.js';
import { isWhatsAppSendError, type SessionSender } from '../sessions/index.js';
import type { CallRecord, CallRegistry, CallRejectedBy } from './call-registry.js';
import { terminatedData } from './call-event-data.js';

export interface RejectRingingCallDeps {
  readonly uow: UnitOfWork<object>;
  readonly events: EventRecorder;
  readonly clock: Clock;
  readonly registry: CallRegistry;
  readonly sender: Pick<SessionSender, 'perform'>;
}

/**
 * Throws DomainError `conflict` (the call is not ringing), `not_connected` (no connected session here),
 * `unavailable` (WhatsApp refused or failed).
 */
export type RejectRingingCall = (instance: { readonly customerId: string; readonly id: string }, call: CallRecord, by: CallRejectedBy) => Promise<void>;

export function createRejectRingingCall(deps: RejectRingingCallDeps): RejectRingingCall {
  return async (instance, call, by) => {
    if (call.state !== 'ringing') {
      throw new DomainError('conflict', 'The call is no longer ringing.', { call_id: call.callId, reason: call.reason });
    }
    call.state = 'rejecting';
    try {
      await deps.sender.perform(instance, { type: 'reject_call', callId: call.callId, from: call.from });
    } catch (error) {
      if (call.state === 'rejecting') call.state = 'ringing';
      if (isWhatsAppSendError(error) && error.code === 'not_connected') {
        throw new DomainError('not_connected', 'The instance has no connected WhatsApp session.', { instance_id: instance.id });
      }
      throw new DomainError('unavailable', 'WhatsApp did not take the reject; try again.', { call_id: call.callId });
    }
    const at = deps.clock.now();
    deps.registry.end(call, 'rejected', by, at);
    await deps.events.recordAlone(deps.uow.repos, {
      customerId: instance.customerId,
      instanceId: instance.id,
      name: 'call.terminated',
      occurredAt: at,
      data: terminatedData(call),
    });
  };
}
