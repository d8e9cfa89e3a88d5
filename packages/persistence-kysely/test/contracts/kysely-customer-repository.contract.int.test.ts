import { describeCustomerRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeCustomerRepositoryContract('Kysely on Postgres', kyselyContractSubject);
