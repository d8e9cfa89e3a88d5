/*
 * `pnpm start`: the all-in-one server (HTTP API, sessions and the delivery worker). Equivalent to
 * `whatisup serve`.
 */
import { announceDevelopmentAllowList } from './config/announce-development-allow-list.js';
import { ConfigError } from './config/load-config.js';
import { readConfig } from './config/read-config.js';
import { createLogger } from './logger.js';
import { startApiRole } from './roles/api.js';
import { runRole } from './roles/run-role.js';

async function main(): Promise<number> {
  const { config, generated, defaulted } = readConfig(process.env);
  const logger = createLogger(config);
  if (generated.length > 0) logger.warn({ generated }, 'development secrets generated and kept in DATA_DIR');
  announceDevelopmentAllowList(logger, config, defaulted);
  const print = (text: string) => process.stdout.write(`${text}\n`);
  return runRole(config, logger, () => startApiRole(config, logger, { worker: true, print }));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `fatal: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
