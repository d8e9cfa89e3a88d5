import { describeApiKeyRepositoryContract } from './contracts/api-key-repository.contract.js';
import { describeAuditLogContract } from './contracts/audit-log.contract.js';
import type { ContractSetup } from './contracts/contract-subject.js';
import { describeCustomerRepositoryContract } from './contracts/customer-repository.contract.js';
import { describeInstanceRepositoryContract } from './contracts/instance-repository.contract.js';
import { describeUnitOfWorkContract } from './contracts/unit-of-work.contract.js';
import { createInMemoryUnitOfWork } from './in-memory-unit-of-work.js';
import { describeSessionLeaseRepositoryContract } from './contracts/session-lease-repository.contract.js';
import { describeNodeRegistryContract } from './contracts/node-registry.contract.js';
import { createInMemoryNodeRegistry } from './in-memory-node-registry.js';
import { describeLeaderLockContract } from './contracts/leader-lock.contract.js';
import { createInMemoryLeaderLock } from './in-memory-leader-lock.js';
import { describeSessionCredentialRepositoryContract } from './contracts/session-credential-repository.contract.js';
import { createInMemorySessionCredentialRepository } from './in-memory-session-credential-repository.js';

const setup: ContractSetup = async () => {
  const uow = createInMemoryUnitOfWork();
  return { uow, repos: uow.repos };
};

describeCustomerRepositoryContract('in-memory', setup);
describeInstanceRepositoryContract('in-memory', setup);
describeApiKeyRepositoryContract('in-memory', setup);
describeAuditLogContract('in-memory', setup);
describeUnitOfWorkContract('in-memory', setup);
describeSessionLeaseRepositoryContract('in-memory', setup);
describeNodeRegistryContract('in-memory', async () => ({ registry: createInMemoryNodeRegistry() }));
describeLeaderLockContract('in-memory', async () => {
  const lock = createInMemoryLeaderLock();
  return { first: lock, second: lock };
});
describeSessionCredentialRepositoryContract('in-memory', async () => {
  const uow = createInMemoryUnitOfWork();
  return { credentials: createInMemorySessionCredentialRepository(uow.state), repos: uow.repos };
});
