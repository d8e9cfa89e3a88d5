import { describeWhatsAppSessionContract } from '@whatisup/core/testing';
import { pino } from 'pino';
import { createBaileysSessionFactory } from '../src/index.js';
import { createFakeWhatsAppPeer } from './fake-whatsapp-peer.js';
import { FAST_TUNING, makeDataDir } from './session-harness.js';

describeWhatsAppSessionContract('Baileys adapter over a fake socket', async () => {
  const data = await makeDataDir();
  const peer = createFakeWhatsAppPeer();
  return {
    factory: createBaileysSessionFactory({
      dataDir: data.dir,
      logger: pino({ level: 'silent' }),
      socketFactory: peer.socketFactory,
      tuning: FAST_TUNING,
      random: () => 0.5,
    }),
    driver: peer.driver,
    cleanup: data.cleanup,
  };
});
