import type { ContractSetup } from './contracts/contract-subject.js';
import { describeInstanceSettingsRepositoryContract } from './contracts/instance-settings-repository.contract.js';
import { createInMemoryUnitOfWork } from './in-memory-unit-of-work.js';

const setup: ContractSetup = async () => {
  const uow = createInMemoryUnitOfWork();
  return { uow, repos: uow.repos };
};

describeInstanceSettingsRepositoryContract('in-memory', setup);
