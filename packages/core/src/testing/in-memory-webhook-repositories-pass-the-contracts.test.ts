import type { ContractSetup } from './contracts/contract-subject.js';
import { describeWebhookDeliveryRepositoryContract } from './contracts/webhook-delivery-repository.contract.js';
import { describeWebhookEndpointRepositoryContract } from './contracts/webhook-endpoint-repository.contract.js';
import { createInMemoryUnitOfWork } from './in-memory-unit-of-work.js';

const setup: ContractSetup = async () => {
  const uow = createInMemoryUnitOfWork();
  return { uow, repos: uow.repos };
};

describeWebhookEndpointRepositoryContract('in-memory', setup);
describeWebhookDeliveryRepositoryContract('in-memory', setup);
