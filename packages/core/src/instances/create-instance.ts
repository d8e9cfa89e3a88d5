import { actorOf, DomainError, newId, parseWithSchema, type Clock, type Principal, type UnitOfWork } from '../shared/index.js';
import type { Instance, InstanceKind } from './instance.js';
import { CreateInstanceBody } from './instance-schema.js';
import type { InstanceRepositories } from './instance-repositories.js';

export interface CreateInstanceDeps {
  readonly uow: UnitOfWork<InstanceRepositories>;
  readonly clock: Clock;
}

export interface CreateInstanceInput {
  /** 1-100 characters after trimming; unique among the customer's live instances. */
  readonly name: string;
  /** Default `whatsapp`. */
  readonly kind?: InstanceKind | undefined;
  /** A plain JSON object the integrator keeps on the instance; default `{}`. */
  readonly metadata?: Record<string, unknown> | undefined;
}

export type CreateInstance = (principal: Principal, input: CreateInstanceInput) => Promise<Instance>;

/**
 * Creates a `pending` instance; audited as `instance.created`. Throws `forbidden` for a key bound to an
 * instance, `invalid_input` for a bad name, kind or metadata, `conflict` when the name is taken.
 */
export function createCreateInstance({ uow, clock }: CreateInstanceDeps): CreateInstance {
  return async (principal, input) => {
    if (principal.instanceId !== null) {
      throw new DomainError('forbidden', 'A key bound to an instance cannot create instances.');
    }
    // The schema the HTTP edge documents: a caller that skips the edge meets the same rules.
    const { name, kind, metadata } = parseWithSchema(CreateInstanceBody, input);
    const now = clock.now();
    const instance: Instance = {
      id: newId('instance', now.getTime()),
      customerId: principal.customerId,
      name,
      kind,
      status: 'pending',
      statusReason: null,
      phoneNumber: null,
      lastSeenAt: null,
      metadata,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    return uow.transaction(async (repos) => {
      const created = await repos.instances.create(instance);
      await repos.audit.append({
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'instance.created',
        targetType: 'instance',
        targetId: created.id,
        instanceId: created.id,
        data: { name, kind },
        occurredAt: now,
      });
      return created;
    });
  };
}
