/*
 * `whatisup credentials move-to-postgres`: moves the WhatsApp credentials of every instance from
 * `DATA_DIR/sessions/<id>/` into Postgres, sealed with SECRETS_KEY, then renames the directory to
 * `<id>.moved-<time>` (kept until the operator deletes it). Run it with every server stopped, then start them
 * with WHATSAPP_CREDENTIALS=postgres: the numbers resume without a new QR. An instance that already has
 * credentials in Postgres, or that the database does not know (deleted), is left as it is and reported.
 * Safe to run again.
 */
import { createSecretBox, createSessionCredentialStore, secretsKeyFromBytes } from '@whatisup/core';
import { createKyselySessionCredentialRepository } from '@whatisup/persistence-kysely';
import { listFileCredentialInstances, readFileCredentials, setFileCredentialsAside } from '@whatisup/whatsapp-baileys';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import { createFoundation } from '../compose/create-foundation.js';
import { prepareDatabase } from '../compose/prepare-database.js';
import type { CliIo } from './run-command.js';

export async function runMoveCredentials(command: { json: boolean }, config: Config, logger: Logger, io: CliIo): Promise<number> {
  await prepareDatabase(config, logger, { migrate: true });
  const foundation = createFoundation(config, logger);
  try {
    const store = createSessionCredentialStore({
      repository: createKyselySessionCredentialRepository(foundation.db),
      secretBox: createSecretBox({ current: secretsKeyFromBytes(config.secretsKey.reveal()) }),
      clock: foundation.clock,
    });
    const report = { moved: [] as string[], already_in_postgres: [] as string[], unknown_instance: [] as string[] };
    for (const instanceId of await listFileCredentialInstances(config.dataDir)) {
      const entries = await readFileCredentials(config.dataDir, instanceId);
      if (entries === null) continue;
      if ((await store.readOne(instanceId, 'creds')) !== null) {
        report.already_in_postgres.push(instanceId);
        continue;
      }
      try {
        await store.write(instanceId, entries);
      } catch (error) {
        // The instances table has no such row (deleted, or another deployment's files): nothing to attach to.
        if ((error as { code?: string }).code === '23503' || /foreign key/i.test((error as Error).message)) {
          report.unknown_instance.push(instanceId);
          continue;
        }
        throw error;
      }
      await setFileCredentialsAside(config.dataDir, instanceId, foundation.clock.now());
      report.moved.push(instanceId);
    }
    io.out(
      command.json
        ? JSON.stringify(report)
        : `Moved the credentials of ${report.moved.length} instance(s) to Postgres` +
            (report.already_in_postgres.length > 0 ? `; ${report.already_in_postgres.length} already there (files left in place)` : '') +
            (report.unknown_instance.length > 0 ? `; ${report.unknown_instance.length} unknown to the database (files left in place)` : '') +
            '. Start the servers with WHATSAPP_CREDENTIALS=postgres.',
    );
    return 0;
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 1;
  } finally {
    await foundation.close();
  }
}
