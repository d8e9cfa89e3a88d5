import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecretBox, createSessionCredentialStore, secretsKeyFromBytes, systemClock } from '@whatisup/core';
import { createInMemorySessionCredentialRepository } from '@whatisup/core/testing';
import { describe, expect, it } from 'vitest';
import { createDatabaseAuthStore } from '../src/database-auth-store.js';
import { createFileAuthStore } from '../src/file-auth-store.js';
import { listFileCredentialInstances, readFileCredentials } from '../src/file-credentials-export.js';

const ME = { id: '4915112345678:3@s.whatsapp.net', name: 'Shop' };

function setup() {
  const repository = createInMemorySessionCredentialRepository();
  const store = createSessionCredentialStore({ repository, secretBox: createSecretBox({ current: secretsKeyFromBytes(randomBytes(32)) }), clock: systemClock });
  const batches: number[] = [];
  const open = () => createDatabaseAuthStore({ instanceId: 'inst_A', store, batchMs: 20, onBatch: (n) => void batches.push(n) });
  return { repository, store, batches, open };
}

describe('the database auth store', () => {
  it('persists credentials and signal keys, sealed, readable by a fresh store on another node', async () => {
    const { repository, open } = setup();
    const first = open();
    const state = await first.load();
    state.creds.me = ME;
    await first.saveCreds();
    await state.keys.set({ 'pre-key': { '7': { public: Buffer.from([1, 2]), private: Buffer.from([3, 4]) } }, session: { '49151.0': Buffer.from('abc') } });
    expect(JSON.stringify(await repository.list('inst_A'))).not.toContain('4915112345678');

    const second = await open().load();
    expect(second.creds.me).toEqual(ME);
    expect(second.creds.noiseKey.private).toEqual(state.creds.noiseKey.private);
    const keys = await second.keys.get('pre-key', ['7', '8']);
    expect(Buffer.from(keys['7']!.public)).toEqual(Buffer.from([1, 2]));
    expect(keys['8']).toBeUndefined();
    expect(Buffer.from((await second.keys.get('session', ['49151.0']))['49151.0']!).toString()).toBe('abc');
  });

  it('gathers the changes made close together into one write, and resolves each caller once it landed', async () => {
    const { batches, open } = setup();
    const auth = open();
    const state = await auth.load();
    // What Baileys does around one message: a ratchet per device, a sender key, the account counters.
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => state.keys.set({ session: { [`4915${i}.0`]: Buffer.from(`s${i}`) } })),
      state.keys.set({ 'sender-key': { group: Buffer.from('k') } }),
      auth.saveCreds(),
    ]);
    expect(batches).toEqual([12]);
  });

  it('deletes a key set to null, and forgets everything on wipe', async () => {
    const { repository, open } = setup();
    const auth = open();
    const state = await auth.load();
    await state.keys.set({ session: { x: Buffer.from('1'), y: Buffer.from('2') } });
    await state.keys.set({ session: { x: null } });
    expect(await (await open().load()).keys.get('session', ['x', 'y'])).toEqual({ y: expect.anything() });
    await auth.wipe();
    expect(await repository.list('inst_A')).toEqual([]);
  });
});

describe('moving file credentials to the shared store', () => {
  it('reads every file entry under the name the database store uses, so a database store resumes them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wiu-move-'));
    try {
      const files = createFileAuthStore({ dir: join(dataDir, 'sessions', 'inst_A') });
      const state = await files.load();
      state.creds.me = ME;
      await files.saveCreds();
      await state.keys.set({ session: { '49151.0': Buffer.from('abc') }, 'app-state-sync-key': { 'AAB/c': { keyData: Buffer.from([9]) } } });
      await files.flush();

      expect(await listFileCredentialInstances(dataDir)).toEqual(['inst_A']);
      const entries = (await readFileCredentials(dataDir, 'inst_A'))!;
      const { store, open } = setup();
      await store.write('inst_A', entries);
      const moved = await open().load();
      expect(moved.creds.me).toEqual(ME);
      expect(Buffer.from((await moved.keys.get('session', ['49151.0']))['49151.0']!).toString()).toBe('abc');
      expect(Object.keys(await moved.keys.get('app-state-sync-key', ['AAB/c']))).toEqual(['AAB/c']);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
