/*
 * One use case, two callers. Over HTTP a principal creates a key for its own customer, under the scoping
 * rules: a key bound to an instance can only create keys bound to that same instance. The operator's CLI
 * creates keys for any customer (`customerId` in the input) with no such limit. The full key is returned
 * once; only its prefix and HMAC are stored.
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
  /** Must be in the future; absent: never expires. */
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
   * unbound or bound elsewhere; `not_found` when `instanceId` is not the customer's live instance.
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
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) {
      throw new DomainError('invalid_input', 'expires_at must be in the future.', { field: 'expires_at' });
    }
    if (principal?.instanceId != null && instanceId === null) {
      throw new DomainError('forbidden', 'A key bound to an instance cannot create an unbound key.');
    }
    const generated = generateApiKey();
    const stored: StoredApiKey = {
      id: newId('apiKey', now.getTime()),
      customerId,
      instanceId,
      name,
      prefix: generated.prefix,
      secretHash: hashApiKeySecret(pepper, generated.prefix, generated.secret),
      createdAt: now,
      lastUsedAt: null,
      expiresAt,
      revokedAt: null,
    };
    const apiKey = await uow.transaction(async (repos) => {
      if (principal === null && (await repos.customers.findById(customerId)) === null) {
        throw notFound('customer', customerId);
      }
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
        data: { prefix: created.prefix, name, expires_at: expiresAt?.toISOString() ?? null },
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
