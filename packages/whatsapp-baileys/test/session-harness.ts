/** A Baileys session factory over a temp data dir and fake sockets, recording every listener event. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionEvent, WhatsAppSession, WhatsAppSessionFactory } from '@whatisup/core';
import { pino } from 'pino';
import { createBaileysSessionFactory } from '../src/index.js';
import type { SessionTuning } from '../src/index.js';
import { createFakeSocketFactory } from './fake-baileys-socket.js';

export const FAST_TUNING: Partial<SessionTuning> = {
  backoff: { initialDelayMs: 10, maxDelayMs: 80, jitter: 0 },
  stableAfterMs: 50,
  pairingTimeoutMs: 5_000,
  pairingCodeWaitMs: 200,
  sendTimeoutMs: 200,
};

export async function makeDataDir(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'whatisup-baileys-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function createHarness(dataDir: string, tuning: Partial<SessionTuning> = {}) {
  const fake = createFakeSocketFactory();
  const factory: WhatsAppSessionFactory = createBaileysSessionFactory({
    dataDir,
    logger: pino({ level: 'silent' }),
    socketFactory: fake.factory,
    tuning: { ...FAST_TUNING, ...tuning },
    random: () => 0.5,
  });
  const events: SessionEvent[] = [];
  const open = (instanceId = 'inst_TEST'): WhatsAppSession =>
    factory.createSession({ instanceId, listener: (event) => events.push(event) });
  return { fake, factory, events, open, types: () => events.map((e) => e.type) };
}
