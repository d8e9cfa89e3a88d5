/*
 * `pnpm start`: the all-in-one server (HTTP API, sessions and the delivery worker). Equivalent to
 * `whatisup serve`. Outside production, with no Postgres or Redis to use, it embeds them
 * (docs/decisions/0014-embedded-default.md).
 */
import { announceDevelopmentAllowList } from './config/announce-development-allow-list.js';
import { ConfigError } from './config/load-config.js';
import { readConfigWithInfrastructure } from './embedded/read-config-with-infrastructure.js';
import { createLogger, wantsPrettyLogs } from './logger.js';
import { startApiRole } from './roles/api.js';
import { runRole } from './roles/run-role.js';

async function main(): Promise<number> {
  const { config, generated, defaulted, logger, embedded } = await readConfigWithInfrastructure(process.env, {
    createLogger: (config) => createLogger(config, undefined, { pretty: wantsPrettyLogs(config.nodeEnv, process.stdout) }),
  });
  try {
    if (generated.length > 0) logger.warn({ generated }, 'development secrets generated and kept in DATA_DIR');
    announceDevelopmentAllowList(logger, config, defaulted);
    const print = (text: string) => process.stdout.write(`${text}\n`);
    return await runRole(config, logger, () => startApiRole(config, logger, { worker: true, print, stopEmbedded: embedded.stop }));
  } finally {
    // Already stopped, last, by the role on a clean shutdown; this covers a failed start or a late shutdown.
    await embedded.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `fatal: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
