import { describeLidMappingRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeLidMappingRepositoryContract('Kysely on Postgres', kyselyContractSubject);
