import { describeApiKeyRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeApiKeyRepositoryContract('Kysely on Postgres', kyselyContractSubject);
