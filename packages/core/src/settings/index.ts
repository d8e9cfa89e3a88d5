/* Instance settings: how the running session treats calls, presence and read receipts. */
export { DEFAULT_INSTANCE_SETTINGS, type InstanceSettings } from './instance-settings.js';
export type { InstanceSettingsRepository, InstanceSettingsRepositories } from './instance-settings-repository.js';
export { readInstanceSettings } from './read-instance-settings.js';
export { createGetInstanceSettings, type GetInstanceSettings } from './get-instance-settings.js';
export { createUpdateInstanceSettings, type UpdateInstanceSettings, type UpdateInstanceSettingsDeps } from './update-instance-settings.js';
export { createSettingsEffects, type SettingsEffects, type SettingsEffectsDeps } from './settings-effects.js';
export {
  MAX_CALL_REPLY_TEXT_LENGTH,
  InstanceSettingsPatchBody,
  InstanceSettingsJson,
  toInstanceSettingsJson,
} from './schemas/settings-schemas.js';
