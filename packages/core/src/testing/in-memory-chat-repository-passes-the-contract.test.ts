import type { ContractSetup } from './contracts/contract-subject.js';
import { describeChatRepositoryContract } from './contracts/chat-repository.contract.js';
import { createInMemoryUnitOfWork } from './in-memory-unit-of-work.js';

const setup: ContractSetup = async () => {
  const uow = createInMemoryUnitOfWork();
  return { uow, repos: uow.repos };
};

describeChatRepositoryContract('in-memory', setup);
