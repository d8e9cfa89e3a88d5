import { describeAuditLogContract } from '@whatisup/core/testing';
import { kyselyContractSubject } from './kysely-contract-subject.js';

describeAuditLogContract('Kysely on Postgres', kyselyContractSubject);
