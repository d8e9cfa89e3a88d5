/*
 * One use case, two callers. Over HTTP a principal creates a key for its own customer, under the scoping
 * rules: a key bound to an instance can only create keys bound to that same instance. The operator's CLI
 * creates keys for any customer (`customerId` in the input) with no such limit. The full key is returned
 * once; only its prefix and HMAC are stored.
 *
 * A key never outlives the key that created it: without `expiresAt` the child inherits the parent's expiry,
 * and a later one is `invalid_input`. The parent is recorded, so revoking it revokes the child (see
 * revoke-api-key.ts); the repository locks the parent so a concurrent revocation cannot miss the child.
 */
import {
  actorOf,
  DomainError,
  notFound,
  newId,
  assertOperator,
  type Clock,
  type Actor,
  type Principal,
  type UnitOfWork,
} from '../shared/index.js';
import type { ApiKey, StoredApiKey } from './api-key.js';
import type { TenancyRepositories } from './tenancy-repositories.js';
import { generateApiKey } from './api-key-format.js';
import { hashApiKeySecret, type Pepper } from './api-key-hash.js';
import { assertInstanceAllowed } from '../instances/index.js';

export interface CreateApiKeyDeps {
  readonly uow: UnitOfWork<TenancyRepositories>;
  readonly clock: Clock;
  readonly pepper: Pepper;
}

export interface CreateApiKeyInput {
  /** 1-100 characters, or null/absent for no name. */
  readonly name?: string | null | undefined;
  /** Binds the key to one of the customer's live instances (least privilege). */
  readonly instanceId?: string | null | undefined;
  /** Must be in the future and, over HTTP, not after the creating key's expiry; absent: the creating key's. */
  readonly expiresAt?: Date | null | undefined;
}

export interface OperatorCreateApiKeyInput extends CreateApiKeyInput {
  readonly customerId: string;
}

export interface CreatedApiKey {
  readonly apiKey: ApiKey;
  /** The full key (`wiu_<lookup>_<secret>`): show it once, never store or log it. */
  readonly key: string;
}

export interface CreateApiKey {
  /**
   * Tenant call. Throws `forbidden` when the principal is bound to an instance and the new key would be
   * unbound or bound elsewhere, or when the principal's key was revoked or expired meanwhile; `not_found`
   * when `instanceId` is not the customer's live instance; `invalid_input` when `expiresAt` is past the
   * principal's key's expiry.
   */
  (principal: Principal, input: CreateApiKeyInput): Promise<CreatedApiKey>;
  /** Operator call (CLI). Throws `not_found` for an unknown customer or an instance not the customer's. */
  (input: OperatorCreateApiKeyInput, actor: Actor): Promise<CreatedApiKey>;
}

function isPrincipal(value: Principal | OperatorCreateApiKeyInput): value is Principal {
  return 'keyId' in value;
}

function validName(name: string | null | undefined): string | null {
  if (name === undefined || name === null) return null;
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) {
    throw new DomainError('invalid_input', 'name must be 1 to 100 characters.', { field: 'name' });
  }
  return trimmed;
}

const isExpired = (expiresAt: Date | null, now: Date): boolean => expiresAt !== null && expiresAt.getTime() <= now.getTime();

/** The child's expiry: the requested one when not after the parent's, else refused; none asked, the parent's. */
function childExpiry(requested: Date | null, parentExpiry: Date | null): Date | null {
  if (requested === null) return parentExpiry;
  if (parentExpiry !== null && requested.getTime() > parentExpiry.getTime()) {
    throw new DomainError('invalid_input', `expires_at must not be after the creating key's expiry (${parentExpiry.toISOString()}).`, {
      field: 'expires_at',
      max: parentExpiry.toISOString(),
    });
  }
  return requested;
}

export function createCreateApiKey({ uow, clock, pepper }: CreateApiKeyDeps): CreateApiKey {
  async function create(
    customerId: string,
    input: CreateApiKeyInput,
    actor: Actor,
    principal: Principal | null,
  ): Promise<CreatedApiKey> {
    const now = clock.now();
    const name = validName(input.name);
    const instanceId = input.instanceId ?? null;
    const requested = input.expiresAt ?? null;
    if (requested !== null && requested.getTime() <= now.getTime()) {
      throw new DomainError('invalid_input', 'expires_at must be in the future.', { field: 'expires_at' });
    }
    if (principal?.instanceId != null && instanceId === null) {
      throw new DomainError('forbidden', 'A key bound to an instance cannot create an unbound key.');
    }
    const generated = generateApiKey();
    const apiKey = await uow.transaction(async (repos) => {
      if (principal === null && (await repos.customers.findById(customerId)) === null) {
        throw notFound('customer', customerId);
      }
      const parent = principal === null ? null : await repos.apiKeys.findById(customerId, principal.keyId);
      if (principal !== null && (parent === null || parent.revokedAt !== null || isExpired(parent.expiresAt, now))) {
        throw new DomainError('forbidden', 'The key making this request has been revoked or has expired.');
      }
      const expiresAt = childExpiry(requested, parent?.expiresAt ?? null);
      const stored: StoredApiKey = {
        id: newId('apiKey', now.getTime()),
        customerId,
        instanceId,
        name,
        parentKeyId: parent?.id ?? null,
        prefix: generated.prefix,
        secretHash: hashApiKeySecret(pepper, generated.prefix, generated.secret),
        createdAt: now,
        lastUsedAt: null,
        expiresAt,
        revokedAt: null,
      };
      if (instanceId !== null) {
        if ((await repos.instances.findById(customerId, instanceId)) === null) throw notFound('instance', instanceId);
        if (principal !== null) assertInstanceAllowed(principal, instanceId);
      }
      const created = await repos.apiKeys.create(stored);
      await repos.audit.append({
        customerId,
        actor,
        action: 'api_key.created',
        targetType: 'api_key',
        targetId: created.id,
        instanceId,
        data: { prefix: created.prefix, name, expires_at: expiresAt?.toISOString() ?? null, parent_key_id: created.parentKeyId },
        occurredAt: now,
      });
      return created;
    });
    return { apiKey, key: generated.key };
  }

  return (async (first: Principal | OperatorCreateApiKeyInput, second: CreateApiKeyInput | Actor) => {
    if (isPrincipal(first)) return create(first.customerId, second as CreateApiKeyInput, actorOf(first), first);
    const actor = second as Actor;
    assertOperator(actor);
    return create(first.customerId, first, actor, null);
  }) as CreateApiKey;
}
