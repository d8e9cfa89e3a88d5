#!/usr/bin/env node
/*
 * The operator CLI: `pnpm whatisup <command>` (see USAGE). Exit codes: 0 done, 1 failed (the message says
 * why), 2 bad arguments (usage printed), 78 bad configuration.
 */
import { announceDevelopmentAllowList } from './config/announce-development-allow-list.js';
import { ConfigError } from './config/load-config.js';
import { readWorkerConfig } from './config/read-config.js';
import { parseCommand, USAGE, UsageError, type Command } from './cli/parse-command.js';
import { runDataCommand } from './cli/run-command.js';
import { readConfigWithInfrastructure, refuseEmbeddedForWorker } from './embedded/read-config-with-infrastructure.js';
import { createLogger, wantsPrettyLogs } from './logger.js';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

async function main(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.name === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command.name === 'worker') {
    // The worker reads its own, smaller configuration: no API_KEY_PEPPER. It never embeds: it shares the
    // database and the queue with the API processes.
    const { config, defaulted } = readWorkerConfig(await refuseEmbeddedForWorker(process.env));
    const [{ runRole }, { startWorkerRole }] = await Promise.all([import('./roles/run-role.js'), import('./roles/worker.js')]);
    const logger = createLogger(config, undefined, { pretty: wantsPrettyLogs(config.nodeEnv, process.stdout) });
    announceDevelopmentAllowList(logger, config, defaulted);
    return runRole(config, logger, () => startWorkerRole(config, logger));
  }
  const { config, generated, defaulted, logger, embedded } = await readConfigWithInfrastructure(process.env, {
    // CLI output is for people and scripts: logs go to stderr, quiet unless asked. `serve` logs as the server.
    createLogger: (config) =>
      command.name === 'serve'
        ? createLogger(config, undefined, { pretty: wantsPrettyLogs(config.nodeEnv, process.stdout) })
        : createLogger({ logLevel: process.env.LOG_LEVEL ? config.logLevel : 'warn' }, process.stderr),
    ...(command.name === 'serve' && !command.worker ? { refuseEmbeddedAs: '`whatisup serve --no-worker`' } : {}),
  });
  try {
    if (generated.length > 0) logger.warn({ generated }, 'development secrets generated and kept in DATA_DIR');
    switch (command.name) {
      case 'serve': {
        const [{ runRole }, { startApiRole }] = await Promise.all([import('./roles/run-role.js'), import('./roles/api.js')]);
        announceDevelopmentAllowList(logger, config, defaulted);
        const print = (text: string) => io.out(text);
        return await runRole(config, logger, () =>
          startApiRole(config, logger, { worker: command.worker, print, stopEmbedded: embedded.stop }),
        );
      }
      case 'migrate': {
        const { prepareDatabase } = await import('./compose/prepare-database.js');
        await prepareDatabase(config, createLogger(config, process.stderr), { migrate: true });
        io.out('Database is up to date.');
        return 0;
      }
      case 'secrets rotate': {
        const { runSecretsRotate } = await import('./cli/run-secrets-rotate.js');
        return await runSecretsRotate(command, config, logger, io);
      }
      case 'credentials move-to-postgres': {
        const { runMoveCredentials } = await import('./cli/run-move-credentials.js');
        return await runMoveCredentials(command, config, logger, io);
      }
      default:
        return await runDataCommand(command, config, logger, io);
    }
  } finally {
    // An embedded Postgres lives as long as the command; `serve` has already stopped it, last, on a clean stop.
    await embedded.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      io.err(error.message);
      exitAfterFlush(78);
      return;
    }
    io.err(`error: ${(error as Error).message}`);
    exitAfterFlush(1);
  },
);

/** Exits once stdout and stderr have drained: pools and sockets must not keep a finished command alive. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
