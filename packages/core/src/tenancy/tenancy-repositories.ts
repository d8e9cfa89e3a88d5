import type { InstanceRepositories } from '../instances/index.js';
import type { ApiKeyRepository } from './api-key-repository.js';
import type { CustomerRepository } from './customer-repository.js';

/** The repositories the customer, API key and audit use cases read and write in one unit of work. */
export interface TenancyRepositories extends InstanceRepositories {
  readonly customers: CustomerRepository;
  readonly apiKeys: ApiKeyRepository;
}
