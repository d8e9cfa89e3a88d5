import { DomainError, type Clock, type Principal } from '../shared/index.js';
import { readEventToken } from './event-token.js';

/**
 * The principal an event token stands for: its customer, the key that minted it, and the instance it is
 * bound to (if any), so every scoping rule of API keys applies to it unchanged. Throws
 * DomainError('unauthenticated') when the token is malformed, forged, or expired (the message says which
 * of "invalid" and "expired", never anything about the key).
 */
export type VerifyEventToken = (token: string) => Principal;

export function createVerifyEventToken(deps: { readonly clock: Clock; readonly key: Uint8Array }): VerifyEventToken {
  return (token) => {
    const claims = readEventToken(deps.key, token);
    if (claims === null) {
      throw new DomainError('unauthenticated', 'The event token is invalid; mint a new one with POST /v1/event-tokens.', {
        reason: 'invalid_token',
      });
    }
    if (claims.expiresAt.getTime() <= deps.clock.now().getTime()) {
      throw new DomainError('unauthenticated', 'The event token has expired; mint a new one with POST /v1/event-tokens.', {
        reason: 'expired_token',
      });
    }
    return { customerId: claims.customerId, keyId: claims.keyId, instanceId: claims.instanceId };
  };
}
