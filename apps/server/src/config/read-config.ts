import { withDevelopmentDefaults } from './dev-defaults.js';
import { loadConfig, type Config } from './load-config.js';
import { loadWorkerConfig, type WorkerConfig } from './load-worker-config.js';

/** The API role's configuration from the process environment, with development defaults outside production. */
export function readConfig(env: Record<string, string | undefined>): { config: Config; generated: string[] } {
  const { env: effective, generated } = withDevelopmentDefaults(env);
  return { config: loadConfig(effective), generated };
}

/** The worker role's configuration, with the same development defaults (it ignores the generated pepper). */
export function readWorkerConfig(env: Record<string, string | undefined>): { config: WorkerConfig; generated: string[] } {
  const { env: effective, generated } = withDevelopmentDefaults(env);
  return { config: loadWorkerConfig(effective), generated: generated.filter((name) => name !== 'API_KEY_PEPPER') };
}
