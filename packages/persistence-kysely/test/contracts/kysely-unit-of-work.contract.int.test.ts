import { describeUnitOfWorkContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeUnitOfWorkContract('Kysely on Postgres', kyselyContractSubject);
