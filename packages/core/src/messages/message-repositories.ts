import type { InstanceRepositories } from '../instances/index.js';
import type { MessageRepository } from './message-repository.js';

/** The repositories the message use cases read and write in one unit of work. */
export interface MessageRepositories extends InstanceRepositories {
  readonly messages: MessageRepository;
}
