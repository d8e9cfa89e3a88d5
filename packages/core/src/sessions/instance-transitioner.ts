/*
 * Applies one instance status transition as one atomic write (`InstanceRepository.transition`, one
 * statement on Postgres): read the current status under a row lock, check the lifecycle table,
 * compare-and-set the new status (so a racing transition cannot also win), append the audit row when the
 * status actually changed, and fan out the event's webhook deliveries; SSE and the delivery queue hear of
 * the event once the write has returned. A transition is therefore one round trip, not a transaction of
 * five or six: a restart moves every instance through two or three of them.
 *
 * Events: `qr.updated` for every QR (rotation included, status qr_required → qr_required), and
 * `instance.connected` / `instance.disconnected` when the status becomes connected / disconnected.
 * `connecting` and `reconnecting` are persisted and audited but have no event of their own (EVENT_NAMES
 * has none for them: integrators see a connection come and go, not the steps between). The QR itself is never written to the audit log: it is a pairing credential.
 *
 * A request with a `fence` (a session running under a lease) has its write check, in the same statement,
 * that the lease is still held under that epoch, so a node that lost the instance cannot move its status
 * any more.
 */
import type { Clock, Actor, UnitOfWork } from '../shared/index.js';
import type { Instance, InstanceStatus, InstanceRepositories } from '../instances/index.js';
import type { DomainEvent, EventPreparer } from '../events/index.js';
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
  readonly events: EventPreparer;
  readonly clock: Clock;
}

/**
 * Returns the transition's result, or null when nothing changed: the instance is absent or deleted, its
 * status does not allow the transition (including a racing transition that won), or its fence is stale. Never throws a
 * DomainError itself; callers decide whether null is an error for their request.
 */
export type InstanceTransitioner = (request: TransitionRequest) => Promise<TransitionResult | null>;

export function createInstanceTransitioner({ uow, events, clock }: InstanceTransitionerDeps): InstanceTransitioner {
  return async (request) => {
    const { customerId, id } = request.instance;
    const at = clock.now();
    const event = eventFor(request, at);
    const prepared = event === null ? null : events.prepare(event);
    const written = await uow.repos.instances.transition(
      customerId,
      id,
      {
        to: request.to,
        from: request.from ?? statusesAllowing(request.to),
        ...(request.whilePaired !== undefined
          ? { whilePaired: { to: request.whilePaired, from: request.from ?? statusesAllowing(request.whilePaired) } }
          : {}),
        statusReason: request.reason ?? null,
        ...(request.phoneNumber !== undefined ? { phoneNumber: request.phoneNumber } : {}),
        at,
        actor: request.actor,
        // A QR is news every time (rotation included); a connection or a disconnection only when it changes the status.
        event: prepared === null ? null : { prepared, onlyIfChanged: request.qr === undefined },
      },
      request.fence === undefined || request.fence === null ? null : { fence: request.fence, at },
    );
    if (written === null) return null;
    if (prepared !== null && written.eventWritten) await events.written(prepared, written.deliveries);
    return { instance: written.instance, previous: written.previous };
  };
}

/** The event of a move to `request.to`, if it has one: written only when the move happens (see above). */
function eventFor(request: TransitionRequest, at: Date): DomainEvent | null {
  const base = { customerId: request.instance.customerId, instanceId: request.instance.id, occurredAt: at };
  if (request.qr !== undefined) {
    return { ...base, name: 'qr.updated', data: { qr: request.qr.raw, png_data_url: request.qr.pngDataUrl } };
  }
  if (request.to === 'connected') {
    // Every move to connected names the number (the session reports it); without one it stays null.
    return { ...base, name: 'instance.connected', data: { phone_number: request.phoneNumber ?? null } };
  }
  if (request.to === 'disconnected') {
    return { ...base, name: 'instance.disconnected', data: { reason: request.reason ?? null } };
  }
  return null;
}
