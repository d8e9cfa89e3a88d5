import { withDevelopmentDefaults } from './dev-defaults.js';
import { loadConfig, type Config } from './load-config.js';

/**
 * The configuration from the process environment, with development defaults applied outside production.
 * `generated` names secrets created on this start; `defaulted` names variables given a development default.
 */
export function readConfig(env: Record<string, string | undefined>): { config: Config; generated: string[]; defaulted: string[] } {
  const { env: effective, generated, defaulted } = withDevelopmentDefaults(env);
  return { config: loadConfig(effective), generated, defaulted };
}
