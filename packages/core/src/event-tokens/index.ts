/* Short-lived tokens that authorise the event stream and the pairing page. */
export { deriveEventTokenKey } from './event-token-key.js';
export { EVENT_TOKEN_PREFIX, signEventToken, type EventTokenClaims } from './event-token.js';
export {
  DEFAULT_EVENT_TOKEN_TTL_SECONDS,
  MAX_EVENT_TOKEN_TTL_SECONDS,
  createMintEventToken,
  type MintEventTokenInput,
  type MintedEventToken,
  type MintEventToken,
  type MintEventTokenDeps,
} from './mint-event-token.js';
export { createVerifyEventToken, type VerifyEventToken } from './verify-event-token.js';
export { CreateEventTokenBody, EventTokenJson } from './event-token-schema.js';
