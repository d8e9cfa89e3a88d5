import { withDevelopmentDefaults } from './dev-defaults.js';
import { loadConfig, type Config } from './load-config.js';

/** The configuration from the process environment, with development defaults applied outside production. */
export function readConfig(env: Record<string, string | undefined>): { config: Config; generated: string[] } {
  const { env: effective, generated } = withDevelopmentDefaults(env);
  return { config: loadConfig(effective), generated };
}
