import type { ContractSetup } from './contracts/contract-subject.js';
import { describeGroupCreationRepositoryContract } from './contracts/group-creation-repository.contract.js';
import { createInMemoryUnitOfWork } from './in-memory-unit-of-work.js';

const setup: ContractSetup = async () => {
  const uow = createInMemoryUnitOfWork();
  return { uow, repos: uow.repos };
};

describeGroupCreationRepositoryContract('in-memory', setup);
