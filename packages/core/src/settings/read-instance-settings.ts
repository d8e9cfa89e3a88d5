import type { InstanceSettingsRepositories } from './instance-settings-repository.js';
import { DEFAULT_INSTANCE_SETTINGS, type InstanceSettings } from './instance-settings.js';

/** The instance's settings, the defaults when never changed. */
export async function readInstanceSettings(
  repos: InstanceSettingsRepositories,
  instance: { readonly customerId: string; readonly id: string },
): Promise<InstanceSettings> {
  return (await repos.instanceSettings.find(instance.customerId, instance.id)) ?? DEFAULT_INSTANCE_SETTINGS;
}
