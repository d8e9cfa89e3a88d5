/* The settings of each instance (table `instance_settings`, one row per instance once changed). */
import type { InstanceSettings } from './instance-settings.js';

export interface InstanceSettingsRepository {
  /** The customer's instance's settings, or null when they were never changed (the defaults apply). */
  find(customerId: string, instanceId: string): Promise<InstanceSettings | null>;
  /** Writes every setting of the instance (insert or replace) and returns what was stored. */
  save(customerId: string, instanceId: string, settings: InstanceSettings & { readonly updatedAt: Date }): Promise<InstanceSettings>;
}

export interface InstanceSettingsRepositories {
  readonly instanceSettings: InstanceSettingsRepository;
}
