/* Customers, API keys (format, hashing, authentication) and the audit listing. */
export {
  DEFAULT_API_KEY_CACHE_TTL_MS,
  createApiKeyAuthenticator,
  type ApiKeyAuthenticatorDeps,
  type ApiKeyAuthenticator,
} from './api-key-authenticator.js';
export {
  API_KEY_MARKER,
  generateApiKey,
  parseApiKey,
  type ApiKeyParts,
  type GeneratedApiKey,
} from './api-key-format.js';
export {
  hashApiKeySecret,
  constantTimeEqual,
  verifyApiKeySecret,
  type Pepper,
  type HashComparator,
} from './api-key-hash.js';
export type { ApiKeyRepository } from './api-key-repository.js';
export {
  ApiKeyJson,
  CreatedApiKeyJson,
  CreateApiKeyBody,
  toApiKeyJson,
  toCreatedApiKeyJson,
} from './api-key-schema.js';
export type { ApiKey, StoredApiKey } from './api-key.js';
export {
  createCreateApiKey,
  type CreateApiKeyDeps,
  type CreateApiKeyInput,
  type OperatorCreateApiKeyInput,
  type CreatedApiKey,
  type CreateApiKey,
} from './create-api-key.js';
export {
  createCreateCustomer,
  type CreateCustomerDeps,
  type CreateCustomerInput,
  type CreateCustomer,
} from './create-customer.js';
export type { CustomerRepository } from './customer-repository.js';
export type { Customer } from './customer.js';
export { createListApiKeys, type ListApiKeysDeps, type ListApiKeysInput, type ListApiKeys } from './list-api-keys.js';
export {
  createListAuditEvents,
  type ListAuditEventsDeps,
  type ListAuditEventsInput,
  type ListAuditEvents,
} from './list-audit-events.js';
export {
  createListCustomers,
  type ListCustomersDeps,
  type ListCustomersInput,
  type ListCustomers,
} from './list-customers.js';
export {
  createRevokeApiKey,
  type RevokeApiKeyDeps,
  type RevokeApiKeyInput,
  type OperatorRevokeApiKeyInput,
  type RevokeApiKey,
} from './revoke-api-key.js';
export type { TenancyRepositories } from './tenancy-repositories.js';
export { AuditEventJson, auditEventFilterEntries, toAuditEventJson } from './audit-event-schema.js';
export { createTenancyUseCases, type TenancyUseCases, type TenancyUseCasesDeps } from './create-tenancy-use-cases.js';
