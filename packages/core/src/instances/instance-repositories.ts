import type { AuditLog } from '../shared/index.js';
import type { InstanceRepository } from './instance-repository.js';

/** The repositories the instance use cases read and write in one unit of work. */
export interface InstanceRepositories {
  readonly instances: InstanceRepository;
  readonly audit: AuditLog;
}
