/*
 * `whatisup secrets rotate`: after SECRETS_KEY was replaced (and the old key moved to SECRETS_KEY_PREVIOUS),
 * re-seal every webhook signing secret and every WhatsApp credential entry kept in Postgres under the new key. Safe to run again; once it reports nothing left,
 * SECRETS_KEY_PREVIOUS can be removed.
 */
import { createResealSessionCredentials, createResealWebhookSecrets, createSecretBox, secretsKeyFromBytes } from '@whatisup/core';
import { createKyselySessionCredentialRepository } from '@whatisup/persistence-kysely';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import { createFoundation } from '../compose/create-foundation.js';
import { prepareDatabase } from '../compose/prepare-database.js';
import type { CliIo } from './run-command.js';

export async function runSecretsRotate(command: { json: boolean }, config: Config, logger: Logger, io: CliIo): Promise<number> {
  await prepareDatabase(config, logger, { migrate: true });
  const foundation = createFoundation(config, logger);
  try {
    const secretBox = createSecretBox({
      current: secretsKeyFromBytes(config.secretsKey.reveal()),
      ...(config.secretsKeyPrevious ? { previous: secretsKeyFromBytes(config.secretsKeyPrevious.reveal()) } : {}),
    });
    const reseal = createResealWebhookSecrets({ uow: foundation.uow, clock: foundation.clock, secretBox });
    const report = await reseal({ type: 'cli' });
    const credentials = await createResealSessionCredentials({ repository: createKyselySessionCredentialRepository(foundation.db), secretBox })();
    io.out(
      command.json
        ? JSON.stringify({ ...report, credentials })
        : `Re-sealed ${report.resealed} of ${report.scanned} webhook endpoint(s) and ${credentials.resealed} of ` +
            `${credentials.scanned} WhatsApp credential entries under the current SECRETS_KEY.`,
    );
    return 0;
  } catch (error) {
    // A secret sealed under a key that is neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS cannot be opened.
    io.err(`error: ${(error as Error).message}`);
    return 1;
  } finally {
    await foundation.close();
  }
}
