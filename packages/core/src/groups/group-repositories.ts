import type { InstanceRepositories } from '../instances/index.js';
import type { MessageRepositories } from '../messages/index.js';
import type { GroupCreationRepository } from './group-creation-repository.js';

/** The repositories the group use cases read and write in one unit of work. */
export interface GroupRepositories extends InstanceRepositories, MessageRepositories {
  readonly groupCreations: GroupCreationRepository;
}
