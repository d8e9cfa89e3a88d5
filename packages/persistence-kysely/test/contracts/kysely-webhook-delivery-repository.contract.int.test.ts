import { describeWebhookDeliveryRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeWebhookDeliveryRepositoryContract('Kysely on Postgres', kyselyContractSubject);
