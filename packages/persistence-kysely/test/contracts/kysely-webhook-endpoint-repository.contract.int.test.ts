import { describeWebhookEndpointRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeWebhookEndpointRepositoryContract('Kysely on Postgres', kyselyContractSubject);
