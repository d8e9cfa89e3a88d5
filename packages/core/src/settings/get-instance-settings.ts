import type { Principal, UnitOfWork } from '../shared/index.js';
import { findInstanceInScope, type InstanceRepositories } from '../instances/index.js';
import type { InstanceSettingsRepositories } from './instance-settings-repository.js';
import type { InstanceSettings } from './instance-settings.js';
import { readInstanceSettings } from './read-instance-settings.js';

export type GetInstanceSettings = (principal: Principal, input: { readonly instanceId: string }) => Promise<InstanceSettings>;

/** `GET /v1/instances/:id/settings`. Throws not_found (absent or another customer's), forbidden. */
export function createGetInstanceSettings(deps: {
  readonly uow: UnitOfWork<InstanceRepositories & InstanceSettingsRepositories>;
}): GetInstanceSettings {
  return async (principal, { instanceId }) => {
    const instance = await findInstanceInScope(deps.uow.repos, principal, instanceId);
    return readInstanceSettings(deps.uow.repos, instance);
  };
}
