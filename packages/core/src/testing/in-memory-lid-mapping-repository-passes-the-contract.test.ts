import type { ContractSetup } from './contracts/contract-subject.js';
import { describeLidMappingRepositoryContract } from './contracts/lid-mapping-repository.contract.js';
import { createInMemoryUnitOfWork } from './in-memory-unit-of-work.js';

const setup: ContractSetup = async () => {
  const uow = createInMemoryUnitOfWork();
  return { uow, repos: uow.repos };
};

describeLidMappingRepositoryContract('in-memory', setup);
