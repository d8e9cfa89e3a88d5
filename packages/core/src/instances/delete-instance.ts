/*
 * Deleting an instance: stop its session and log out of WhatsApp, then, in one transaction, soft-delete
 * the row (freeing its name), revoke every key bound to it and audit both. The session is stopped first so
 * a failure there leaves the instance in place for a retry rather than a deleted row with a live socket.
 */
import { actorOf, notFound, type Clock, type Principal, type UnitOfWork } from '../shared/index.js';
import type { Instance } from './instance.js';
import type { InstanceRepositories } from './instance-repositories.js';
import { findInstanceInScope } from './instance-scope.js';

/** What deleteInstance needs of the session manager. */
export interface InstanceSessionStopper {
  /**
   * Closes the instance's socket; with `logout: true` also logs the device out and wipes its credentials.
   * Must succeed when no session is running. Throwing aborts the deletion.
   */
  stop(instanceId: string, opts: { logout: boolean }): Promise<void>;
}

/** Deleting an instance also revokes the API keys bound to it, in the same transaction. */
export interface DeleteInstanceRepositories extends InstanceRepositories {
  readonly apiKeys: {
    /** Revokes every active key bound to the instance; returns their ids (empty when none). */
    revokeForInstance(customerId: string, instanceId: string, at: Date): Promise<string[]>;
  };
}

export interface DeleteInstanceDeps {
  readonly uow: UnitOfWork<DeleteInstanceRepositories>;
  readonly clock: Clock;
  /** When given, deletion also stops the instance's session and logs it out; absent, only the row changes. */
  readonly sessions?: InstanceSessionStopper | undefined;
  /** Called after commit for each key revoked with the instance (e.g. `authenticator.invalidate`). */
  readonly onKeyRevoked?: ((keyId: string) => void) | undefined;
}

export interface DeleteInstanceInput {
  readonly id: string;
}

/** Returns the instance as deleted (`deletedAt` set). */
export type DeleteInstance = (principal: Principal, input: DeleteInstanceInput) => Promise<Instance>;

/**
 * Throws `not_found` when absent, already deleted or another customer's, and `forbidden` when the
 * principal is bound to a different instance. Audited as `instance.deleted` (with the revoked key ids).
 */
export function createDeleteInstance({ uow, clock, sessions, onKeyRevoked }: DeleteInstanceDeps): DeleteInstance {
  return async (principal, { id }) => {
    await findInstanceInScope(uow.repos, principal, id);
    await sessions?.stop(id, { logout: true });
    const now = clock.now();
    return uow.transaction(async (repos, tx) => {
      const deleted = await repos.instances.softDelete(principal.customerId, id, now);
      if (deleted === null) throw notFound('instance', id);
      const revokedKeyIds = await repos.apiKeys.revokeForInstance(principal.customerId, id, now);
      await repos.audit.append({
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'instance.deleted',
        targetType: 'instance',
        targetId: id,
        instanceId: id,
        data: { name: deleted.name, revoked_api_key_ids: revokedKeyIds },
        occurredAt: now,
      });
      if (onKeyRevoked !== undefined) {
        tx.afterCommit(() => revokedKeyIds.forEach((keyId) => onKeyRevoked(keyId)));
      }
      return deleted;
    });
  };
}
