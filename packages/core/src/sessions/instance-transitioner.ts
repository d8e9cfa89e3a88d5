/*
 * Applies one instance status transition. Everything happens in one transaction: read the current
 * status, check the lifecycle table, compare-and-set the new status (so a racing transition
 * cannot also win), append the audit row when the status actually changed, and record the event through
 * the EventRecorder (webhook deliveries are written in the same transaction; SSE publishes after commit).
 *
 * Events: `qr.updated` for every QR (rotation included, status qr_required → qr_required), and
 * `instance.connected` / `instance.disconnected` when the status becomes connected / disconnected.
 * `connecting` and `reconnecting` are persisted and audited but have no event of their own (EVENT_NAMES
 * has none for them: integrators see a connection come and go, not the steps between). The QR itself is never written to the audit log: it is a pairing credential.
 *
 * A request with a `fence` (a session running under a lease) has its status write check, in the same
 * statement, that the lease is still held under that epoch; the check also keeps a takeover out until the
 * transaction ends, so a node that lost the instance cannot move its status any more. The read before it
 * is unfenced, which is harmless: the write is a compare-and-set on the status that read.
 */
import type { Clock, Actor, UnitOfWork } from '../shared/index.js';
import type { Instance, InstanceStatus, InstanceRepositories } from '../instances/index.js';
import type { DomainEvent, EventRecorder } from '../events/index.js';
import type { LeaseFence } from '../cluster/index.js';
import { statusesAllowing } from './instance-lifecycle.js';

export interface InstanceRef {
  readonly customerId: string;
  readonly id: string;
}

export interface TransitionRequest {
  readonly instance: InstanceRef;
  readonly to: InstanceStatus;
  readonly actor: Actor;
  readonly reason?: string | null;
  /** Set with `connected`. */
  readonly phoneNumber?: string | null;
  /** Set with `qr_required`: the QR as WhatsApp sent it and as a PNG data URL. */
  readonly qr?: { readonly raw: string; readonly pngDataUrl: string };
  /** Statuses the instance may be in; defaults to every status the lifecycle allows for `to`. */
  readonly from?: readonly InstanceStatus[];
  /** The lease of the session this comes from; the transition is refused (null) when it no longer holds. */
  readonly fence?: LeaseFence | null;
  /**
   * Where to go instead of `to` when the instance is `connected` or `reconnecting`: a paired session that
   * opens its socket again (a resume on the node that took the instance over, a reconnect) is reconnecting,
   * not connecting, so the messages sent meanwhile are still accepted and wait in the outbox.
   */
  readonly whilePaired?: InstanceStatus;
}

export interface TransitionResult {
  readonly instance: Instance;
  readonly previous: InstanceStatus;
}

export interface InstanceTransitionerDeps {
  readonly uow: UnitOfWork<InstanceRepositories>;
  readonly events: EventRecorder;
  readonly clock: Clock;
}

/**
 * Returns the transition's result, or null when nothing changed: the instance is absent or deleted, its
 * status does not allow the transition (including a racing transition that won), or its fence is stale. Never throws a
 * DomainError itself; callers decide whether null is an error for their request.
 */
export type InstanceTransitioner = (request: TransitionRequest) => Promise<TransitionResult | null>;

export function createInstanceTransitioner({ uow, events, clock }: InstanceTransitionerDeps): InstanceTransitioner {
  return (asked) =>
    uow.transaction(async (repos, tx) => {
      const { customerId, id } = asked.instance;
      const fence = asked.fence ?? null;
      const current = await repos.instances.findById(customerId, id);
      const paired = current?.status === 'connected' || current?.status === 'reconnecting';
      const request = paired && asked.whilePaired !== undefined ? { ...asked, to: asked.whilePaired } : asked;
      const allowed = request.from ?? statusesAllowing(request.to);
      if (current === null || !allowed.includes(current.status)) return null;

      const at = clock.now();
      // The fence is checked by the compare-and-set's own statement: stale, it writes nothing (null).
      const change = {
        status: request.to,
        statusReason: request.reason ?? null,
        ...(request.phoneNumber !== undefined ? { phoneNumber: request.phoneNumber } : {}),
        at,
      };
      const instance = await repos.instances.updateStatus(customerId, id, [current.status], change, fence === null ? null : { fence, at });
      if (instance === null) return null;

      if (current.status !== request.to) {
        await repos.audit.append({
          customerId,
          actor: request.actor,
          action: 'instance.status_changed',
          targetType: 'instance',
          targetId: id,
          instanceId: id,
          data: { from: current.status, to: request.to, reason: request.reason ?? null },
          occurredAt: at,
        });
      }
      const event = eventFor(request, instance, current.status, at);
      if (event !== null) await events.record(repos, tx, event);
      return { instance, previous: current.status };
    });
}

function eventFor(request: TransitionRequest, instance: Instance, previous: InstanceStatus, at: Date): DomainEvent | null {
  const base = { customerId: instance.customerId, instanceId: instance.id, occurredAt: at };
  if (request.qr !== undefined) {
    return { ...base, name: 'qr.updated', data: { qr: request.qr.raw, png_data_url: request.qr.pngDataUrl } };
  }
  if (previous === request.to) return null;
  if (request.to === 'connected') {
    return { ...base, name: 'instance.connected', data: { phone_number: instance.phoneNumber } };
  }
  if (request.to === 'disconnected') {
    return { ...base, name: 'instance.disconnected', data: { reason: request.reason ?? null } };
  }
  return null;
}
