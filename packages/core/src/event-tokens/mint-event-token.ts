/*
 * `POST /v1/event-tokens`: a caller trades its API key for a short-lived token it can put in a URL (a
 * browser's EventSource, a pairing link handed to the person holding the phone). The token never grants
 * more than the key: an instance-bound key mints tokens for its own instance only (unbound tokens from
 * it are refused, like unbound keys), and a token for an instance names a live instance of the customer.
 */
import { DomainError, type Clock, type Principal, type UnitOfWork } from '../shared/index.js';
import { findInstanceInScope, type InstanceRepositories } from '../instances/index.js';
import { signEventToken } from './event-token.js';

export const DEFAULT_EVENT_TOKEN_TTL_SECONDS = 300;
export const MAX_EVENT_TOKEN_TTL_SECONDS = 3600;

export interface MintEventTokenInput {
  /** Restrict the token to one instance's events. Required (or implied) for an instance-bound key. */
  readonly instanceId?: string | null | undefined;
  /** 1 to 3600; default 300. */
  readonly ttlSeconds?: number | undefined;
}

export interface MintedEventToken {
  /** `wiuevt_...`: give it to a browser; it reads events only, until `expiresAt`. */
  readonly token: string;
  readonly expiresAt: Date;
  readonly instanceId: string | null;
}

/**
 * Throws invalid_input (ttl out of range), not_found (the instance is absent, deleted or another
 * customer's), forbidden (an instance-bound key asking for another instance, or for every instance).
 */
export type MintEventToken = (principal: Principal, input: MintEventTokenInput) => Promise<MintedEventToken>;

export interface MintEventTokenDeps {
  readonly uow: UnitOfWork<InstanceRepositories>;
  readonly clock: Clock;
  /** From `deriveEventTokenKey`. */
  readonly key: Uint8Array;
}

export function createMintEventToken(deps: MintEventTokenDeps): MintEventToken {
  return async (principal, input) => {
    const ttl = input.ttlSeconds ?? DEFAULT_EVENT_TOKEN_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_EVENT_TOKEN_TTL_SECONDS) {
      throw new DomainError('invalid_input', `ttl_seconds must be a whole number from 1 to ${MAX_EVENT_TOKEN_TTL_SECONDS}.`, {
        field: 'ttl_seconds',
      });
    }
    // A bound key implicitly asks for its own instance; asking for every instance would widen it.
    const instanceId = input.instanceId ?? principal.instanceId;
    if (instanceId !== null) await findInstanceInScope(deps.uow.repos, principal, instanceId);
    // Whole seconds, as the token carries it, so the expiry shown is the one enforced.
    const expiresAt = new Date(Math.floor(deps.clock.now().getTime() / 1000 + ttl) * 1000);
    const token = signEventToken(deps.key, { customerId: principal.customerId, instanceId, keyId: principal.keyId, expiresAt });
    return { token, expiresAt, instanceId };
  };
}
