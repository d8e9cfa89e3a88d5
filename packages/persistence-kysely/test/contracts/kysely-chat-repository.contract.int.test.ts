import { describeChatRepositoryContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeChatRepositoryContract('Kysely on Postgres', kyselyContractSubject);
