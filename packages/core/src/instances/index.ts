/* WhatsApp instances: the record, its repository port, and the use cases that create, list, read and delete it. */
export {
  createCreateInstance,
  type CreateInstanceDeps,
  type CreateInstanceInput,
  type CreateInstance,
} from './create-instance.js';
export {
  createDeleteInstance,
  type InstanceSessionStopper,
  type DeleteInstanceRepositories,
  type DeleteInstanceDeps,
  type DeleteInstanceInput,
  type DeleteInstance,
} from './delete-instance.js';
export { createGetInstance, type GetInstanceDeps, type GetInstanceInput, type GetInstance } from './get-instance.js';
export type { InstanceRepositories } from './instance-repositories.js';
export type { InstanceStatusChange, InstanceRepository, InstanceTransitionWrite, InstanceTransitionWritten } from './instance-repository.js';
export { assertInstanceAllowed, findInstanceInScope } from './instance-scope.js';
export {
  INSTANCE_STATUSES,
  INSTANCE_KINDS,
  DELETED_STATUS,
  type InstanceStatus,
  type InstanceKind,
  type Instance,
} from './instance.js';
export {
  createListInstances,
  type ListInstancesDeps,
  type ListInstancesInput,
  type ListInstances,
} from './list-instances.js';
export { InstanceJson, CreateInstanceBody, toInstanceJson } from './instance-schema.js';
