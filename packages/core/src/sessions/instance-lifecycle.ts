/*
 * The instance state machine:
 *
 *   pending → qr_required → connecting → connected ↔ reconnecting
 *   qr_required → reconnecting → connecting | qr_required (a drop while pairing, then the next QR)
 *   any → disconnected; disconnected → qr_required | connecting (a new connect)
 *
 * Two tables. SESSION_TRANSITIONS says which status a session event may move an instance to from which
 * status; anything else is ignored (a late event from a session that was already stopped must not revive
 * a logged-out instance). REQUEST_RULES says which API request is legal in which status; an illegal one is
 * DomainError('invalid_lifecycle_transition') (409 at the edge):
 *
 *   connect   legal in pending, qr_required, connecting, reconnecting, disconnected. In the three "in
 *             progress" states it is idempotent: it makes sure this process runs the session and changes
 *             nothing. Illegal in connected while the session is live (nothing to do; restart exists for
 *             that). A connected instance with no live session here (the row outlived a crash) is resumed.
 *   qr        legal in pending, qr_required, connecting, disconnected. connected and reconnecting have
 *             credentials, so no QR will ever come: that is DomainError('no_qr'), not a lifecycle error.
 *   pair_code legal in pending, qr_required, disconnected: only before credentials exist.
 *   logout    legal in qr_required, connecting, connected, reconnecting. Illegal in pending (never
 *             started) and disconnected (already logged out).
 *   restart   legal in qr_required, connecting, connected, reconnecting. Illegal in pending and
 *             disconnected: there is no session to restart; connect starts one.
 */
import { DomainError } from '../shared/index.js';
import type { InstanceStatus } from '../instances/index.js';

export const SESSION_TRANSITIONS: Readonly<Record<InstanceStatus, readonly InstanceStatus[]>> = {
  pending: ['qr_required', 'connecting', 'connected', 'disconnected'],
  qr_required: ['qr_required', 'connecting', 'connected', 'reconnecting', 'disconnected'],
  connecting: ['qr_required', 'connected', 'reconnecting', 'disconnected'],
  connected: ['reconnecting', 'disconnected'],
  // A drop while pairing (no credentials yet) reconnects into a new QR: reconnecting → connecting → qr_required.
  reconnecting: ['connected', 'connecting', 'qr_required', 'reconnecting', 'disconnected'],
  disconnected: ['qr_required', 'connecting'],
};

/** Whether a session event may move an instance from `from` to `to`. */
export function canTransition(from: InstanceStatus, to: InstanceStatus): boolean {
  return SESSION_TRANSITIONS[from].includes(to);
}

/** The statuses an instance may be in for a session event to move it to `to`. */
export function statusesAllowing(to: InstanceStatus): InstanceStatus[] {
  return (Object.keys(SESSION_TRANSITIONS) as InstanceStatus[]).filter((from) => canTransition(from, to));
}

export type LifecycleRequest = 'connect' | 'qr' | 'pair_code' | 'logout' | 'restart';

export const REQUEST_RULES: Readonly<Record<LifecycleRequest, readonly InstanceStatus[]>> = {
  connect: ['pending', 'qr_required', 'connecting', 'reconnecting', 'disconnected', 'connected'],
  qr: ['pending', 'qr_required', 'connecting', 'disconnected'],
  pair_code: ['pending', 'qr_required', 'disconnected'],
  logout: ['qr_required', 'connecting', 'connected', 'reconnecting'],
  restart: ['qr_required', 'connecting', 'connected', 'reconnecting'],
};

/**
 * Throws DomainError('invalid_lifecycle_transition') when `request` is illegal in `status`, and
 * DomainError('no_qr') for a QR request on an instance that has credentials. `connect` on a connected
 * instance is checked by the caller, which alone knows whether the session is live.
 */
export function assertRequestAllowed(request: LifecycleRequest, status: InstanceStatus): void {
  if (request === 'qr' && (status === 'connected' || status === 'reconnecting')) {
    throw new DomainError('no_qr', `The instance is ${status}; there is no QR code to scan.`, { status });
  }
  if (!REQUEST_RULES[request].includes(status)) throw illegalRequest(request, status);
}

const REQUEST_VERBS: Readonly<Record<LifecycleRequest, string>> = {
  connect: 'connect',
  qr: 'get a QR code for',
  pair_code: 'request a pairing code for',
  logout: 'log out',
  restart: 'restart',
};

export function illegalRequest(request: LifecycleRequest, status: InstanceStatus): DomainError {
  return new DomainError('invalid_lifecycle_transition', `Cannot ${REQUEST_VERBS[request]} an instance that is ${status}.`, {
    request,
    status,
  });
}
