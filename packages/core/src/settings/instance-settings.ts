/*
 * How the running session of an instance behaves, set by the integrator (`PATCH /v1/instances/:id/settings`)
 * and read by the session's handlers when the events they govern happen (a call rings, a message arrives,
 * the instance connects), so a change needs no reload and reaches the session on whichever node runs it.
 */

export interface InstanceSettings {
  /** Decline every incoming call at once (`call.terminated`, `rejected_by: settings`). */
  readonly rejectCalls: boolean;
  /** With `rejectCalls`: this text is sent to the caller (through the outbox) after each declined call. */
  readonly callReplyText: string | null;
  /** Keep the account shown online (presence `available`) while connected. */
  readonly alwaysOnline: boolean;
  /** Mark every inbound message read (blue ticks) as it arrives. */
  readonly sendReadReceipts: boolean;
  /** When they were last changed; null while every setting has its default. */
  readonly updatedAt: Date | null;
}

export const DEFAULT_INSTANCE_SETTINGS: InstanceSettings = {
  rejectCalls: false,
  callReplyText: null,
  alwaysOnline: false,
  sendReadReceipts: false,
  updatedAt: null,
};
