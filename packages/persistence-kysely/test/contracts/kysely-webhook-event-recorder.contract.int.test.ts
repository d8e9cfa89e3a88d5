import { describeEventRecorderContract, webhookEventRecorderSubject } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeEventRecorderContract('webhook recorder on Kysely and Postgres', async () =>
  webhookEventRecorderSubject(await kyselyContractSubject()),
);
