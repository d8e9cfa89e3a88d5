import { describeInstanceRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeInstanceRepositoryContract('Kysely on Postgres', kyselyContractSubject);
