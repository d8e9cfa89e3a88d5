import type { Actor } from './actor.js';

export interface AuditEvent {
  readonly id: string;
  /** Null once the customer was deleted (the record outlives it). */
  readonly customerId: string | null;
  readonly actor: Actor;
  /** Dotted verb, e.g. `instance.created`, `api_key.revoked`. */
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly instanceId: string | null;
  readonly data: Record<string, unknown>;
  readonly occurredAt: Date;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'occurredAt'> & { readonly occurredAt?: Date };
