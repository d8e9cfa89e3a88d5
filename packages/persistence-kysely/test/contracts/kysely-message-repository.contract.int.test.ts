import { describeMessageRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeMessageRepositoryContract('Kysely on Postgres', kyselyContractSubject);
