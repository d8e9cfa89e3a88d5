import { describeSessionLeaseRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeSessionLeaseRepositoryContract('Kysely on Postgres', kyselyContractSubject);
