import { describeGroupCreationRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeGroupCreationRepositoryContract('Kysely on Postgres', kyselyContractSubject);
