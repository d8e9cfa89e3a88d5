import { withDevelopmentDefaults } from './dev-defaults.js';
import { loadConfig, type Config } from './load-config.js';
import { loadWorkerConfig, type WorkerConfig } from './load-worker-config.js';

/**
 * The configuration from the process environment, with development defaults applied outside production.
 * `generated` names secrets created on this start; `defaulted` names variables given a development default.
 */
export function readConfig(env: Record<string, string | undefined>): { config: Config; generated: string[]; defaulted: string[] } {
  const { env: effective, generated, defaulted } = withDevelopmentDefaults(env);
  return { config: loadConfig(effective), generated, defaulted };
}

/** The worker role's configuration, with the same development defaults (it ignores the generated pepper). */
export function readWorkerConfig(env: Record<string, string | undefined>): {
  config: WorkerConfig;
  generated: string[];
  defaulted: string[];
} {
  const { env: effective, generated, defaulted } = withDevelopmentDefaults(env);
  return { config: loadWorkerConfig(effective), generated: generated.filter((name) => name !== 'API_KEY_PEPPER'), defaulted };
}
