import type { InstanceRepositories } from '../instances/index.js';
import type { MessageRepositories } from '../messages/index.js';
import type { LidMappingRepository } from './lid-mapping-repository.js';

/** The repositories the contact use cases read and write in one unit of work. */
export interface ContactRepositories extends InstanceRepositories, MessageRepositories {
  readonly lids: LidMappingRepository;
}
