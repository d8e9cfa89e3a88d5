export {
  createUndiciOutboundHttp,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type UndiciOutboundHttpOptions,
} from './undici-outbound-http.js';
export { parseAllowCidrs } from './parse-allow-cidrs.js';
export { systemResolver, type Resolver } from './resolver.js';
export { createAddressPolicy, type AddressPolicy, type AddressVerdict } from './address-policy.js';
export type { RefusalLogDetails } from './url-refusal.js';
