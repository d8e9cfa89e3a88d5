/*
 * The session contract again, with the credentials in the shared store (sealed, batched) instead of files:
 * pairing, resuming without a QR, logout wiping them, listing who has them.
 */
import { randomBytes } from 'node:crypto';
import { createSecretBox, createSessionCredentialStore, secretsKeyFromBytes, systemClock } from '@whatisup/core';
import { createInMemorySessionCredentialRepository, describeWhatsAppSessionContract } from '@whatisup/core/testing';
import { pino } from 'pino';
import { createBaileysSessionFactory } from '../src/index.js';
import { createFakeWhatsAppPeer } from './fake-whatsapp-peer.js';
import { FAST_TUNING, makeDataDir } from './session-harness.js';

describeWhatsAppSessionContract('Baileys adapter with credentials in the shared store', async () => {
  const data = await makeDataDir();
  const peer = createFakeWhatsAppPeer();
  const store = createSessionCredentialStore({
    repository: createInMemorySessionCredentialRepository(),
    secretBox: createSecretBox({ current: secretsKeyFromBytes(randomBytes(32)) }),
    clock: systemClock,
  });
  return {
    factory: createBaileysSessionFactory({
      dataDir: data.dir,
      logger: pino({ level: 'silent' }),
      socketFactory: peer.socketFactory,
      tuning: FAST_TUNING,
      random: () => 0.5,
      credentials: { store },
    }),
    driver: peer.driver,
    cleanup: data.cleanup,
  };
});
