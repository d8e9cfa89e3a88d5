/*
 * Revoking is idempotent: revoking a revoked key returns it unchanged and writes no second audit row.
 * Revocation cascades: every key descended from the revoked one (created with it, or with one of those)
 * is revoked in the same transaction, each with its own audit row naming the key it went with.
 * `onRevoked` runs after the commit so this process's authenticator forgets the key at once (wire it to
 * `authenticator.invalidate`); other processes drop it when their short cache entry expires.
 */
import {
  actorOf,
  DomainError,
  notFound,
  assertOperator,
  type Clock,
  type Actor,
  type Principal,
  type UnitOfWork,
} from '../shared/index.js';
import type { ApiKey } from './api-key.js';
import type { TenancyRepositories } from './tenancy-repositories.js';

export interface RevokeApiKeyDeps {
  readonly uow: UnitOfWork<TenancyRepositories>;
  readonly clock: Clock;
  /** Called after commit with the id of a key that was just revoked (e.g. `authenticator.invalidate`). */
  readonly onRevoked?: ((keyId: string) => void) | undefined;
}

export interface RevokeApiKeyInput {
  readonly id: string;
}

export interface OperatorRevokeApiKeyInput extends RevokeApiKeyInput {
  /** Narrows the search; absent, every customer is searched (the CLI's `key revoke --id`). */
  readonly customerId?: string | undefined;
}

export interface RevokeApiKey {
  /**
   * Tenant call. Throws `not_found` for an absent or another customer's key, `forbidden` when the principal
   * is bound to an instance and the key is not bound to that same instance.
   */
  (principal: Principal, input: RevokeApiKeyInput): Promise<ApiKey>;
  /** Operator call (CLI). Throws `not_found` when no customer (or not the given one) has the key. */
  (input: OperatorRevokeApiKeyInput, actor: Actor): Promise<ApiKey>;
}

async function findOperatorKey(repos: TenancyRepositories, input: OperatorRevokeApiKeyInput): Promise<ApiKey | null> {
  if (input.customerId !== undefined) return repos.apiKeys.findById(input.customerId, input.id);
  // The port is tenant-scoped by design; the operator's rare lookup by id alone walks the customers.
  for (const customer of await repos.customers.list()) {
    const key = await repos.apiKeys.findById(customer.id, input.id);
    if (key !== null) return key;
  }
  return null;
}

export function createRevokeApiKey({ uow, clock, onRevoked }: RevokeApiKeyDeps): RevokeApiKey {
  async function revoke(
    find: (repos: TenancyRepositories) => Promise<ApiKey | null>,
    id: string,
    actor: Actor,
    principal: Principal | null,
  ): Promise<ApiKey> {
    const now = clock.now();
    return uow.transaction(async (repos, tx) => {
      const key = await find(repos);
      if (key === null) throw notFound('API key', id);
      if (principal?.instanceId != null && key.instanceId !== principal.instanceId) {
        throw new DomainError('forbidden', 'A key bound to an instance can only revoke keys bound to it.');
      }
      if (key.revokedAt !== null) return key;
      const revoked = await repos.apiKeys.revoke(key.customerId, key.id, now);
      if (revoked === null) throw notFound('API key', id);
      await repos.audit.append({
        customerId: key.customerId,
        actor,
        action: 'api_key.revoked',
        targetType: 'api_key',
        targetId: key.id,
        instanceId: key.instanceId,
        data: { prefix: key.prefix },
        occurredAt: now,
      });
      const descendants = await repos.apiKeys.revokeDescendants(key.customerId, key.id, now);
      for (const child of descendants) {
        await repos.audit.append({
          customerId: key.customerId,
          actor,
          action: 'api_key.revoked',
          targetType: 'api_key',
          targetId: child.id,
          instanceId: child.instanceId,
          data: { prefix: child.prefix, revoked_with: key.id },
          occurredAt: now,
        });
      }
      if (onRevoked !== undefined) tx.afterCommit(() => [key, ...descendants].forEach((revokedKey) => onRevoked(revokedKey.id)));
      return revoked;
    });
  }

  return (async (first: Principal | OperatorRevokeApiKeyInput, second: RevokeApiKeyInput | Actor) => {
    if ('keyId' in first) {
      const { id } = second as RevokeApiKeyInput;
      return revoke((repos) => repos.apiKeys.findById(first.customerId, id), id, actorOf(first), first);
    }
    const actor = second as Actor;
    assertOperator(actor);
    return revoke((repos) => findOperatorKey(repos, first), first.id, actor, null);
  }) as RevokeApiKey;
}
