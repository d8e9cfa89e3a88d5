import type { AuditLog } from '../shared/index.js';
import type { SessionLeaseRepository } from '../cluster/session-lease-repository.js';
import type { InstanceRepository } from './instance-repository.js';

/**
 * The repositories the instance use cases read and write in one unit of work. `leases` says which node runs
 * each instance's session; session writes check it in the same transaction (fencing).
 */
export interface InstanceRepositories {
  readonly instances: InstanceRepository;
  readonly leases: SessionLeaseRepository;
  readonly audit: AuditLog;
}
