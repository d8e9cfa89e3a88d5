import { DomainError, type Clock, type Principal } from '../shared/index.js';
import { EVENT_TOKEN_PREFIX, readEventToken } from './event-token.js';

/**
 * The principal an event token stands for: its customer, the key that minted it, and the instance it is
 * bound to (if any), so every scoping rule of API keys applies to it unchanged. Throws
 * DomainError('unauthenticated') when the token is malformed, forged, or expired (the message says which
 * of "invalid" and "expired", never anything about the key).
 */
export type VerifyEventToken = (token: string) => Principal;

/**
 * Whether both parts of the token are written exactly as base64url encodes their bytes. Node's decoder
 * ignores padding, stray characters and the unused low bits of the last character, so without this several
 * different strings would pass as the same token (and dodge any cache or log keyed on the token text).
 */
function isCanonical(token: string): boolean {
  const parts = token.slice(EVENT_TOKEN_PREFIX.length).split('.');
  return parts.every((part) => part !== '' && Buffer.from(part, 'base64url').toString('base64url') === part);
}

export function createVerifyEventToken(deps: { readonly clock: Clock; readonly key: Uint8Array }): VerifyEventToken {
  return (token) => {
    const claims = token.startsWith(EVENT_TOKEN_PREFIX) && isCanonical(token) ? readEventToken(deps.key, token) : null;
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
