export const INSTANCE_STATUSES = [
  'pending',
  'qr_required',
  'connecting',
  'connected',
  'reconnecting',
  'disconnected',
] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

/** `whatsapp`: a real phone through Baileys. `sandbox`: a simulated phone for integrators' tests. */
export const INSTANCE_KINDS = ['whatsapp', 'sandbox'] as const;
export type InstanceKind = (typeof INSTANCE_KINDS)[number];

/**
 * The status a deleted instance is left in. Deletion stops the session and logs the device out, so the
 * instance is disconnected; the reason tells it apart from a plain logout. There is no `deleted` status:
 * a deleted instance is gone from every read (404), and only the DELETE answer shows it.
 */
export const DELETED_STATUS = { status: 'disconnected', statusReason: 'deleted' } as const satisfies Pick<
  Instance,
  'status' | 'statusReason'
>;

export interface Instance {
  readonly id: string;
  readonly customerId: string;
  readonly name: string;
  readonly kind: InstanceKind;
  readonly status: InstanceStatus;
  /** Why the instance is in its status, e.g. `logout` for `disconnected`; null when nothing to say. */
  readonly statusReason: string | null;
  readonly phoneNumber: string | null;
  readonly lastSeenAt: Date | null;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deletedAt: Date | null;
}
