import { describeInstanceSettingsRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeInstanceSettingsRepositoryContract('Kysely on Postgres', kyselyContractSubject);
