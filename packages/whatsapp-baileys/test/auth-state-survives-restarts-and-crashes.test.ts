import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileAuthStore } from '../src/file-auth-store.js';
import { writeFileAtomic } from '../src/write-file-atomic.js';
import { until } from '@whatisup/test-infra';
import { createHarness, makeDataDir } from './session-harness.js';

let data: Awaited<ReturnType<typeof makeDataDir>>;
beforeEach(async () => {
  data = await makeDataDir();
});
afterEach(async () => {
  await data.cleanup();
});

const ME = { id: '4915112345678:3@s.whatsapp.net', name: 'Shop' };

describe('the file auth store', () => {
  it('persists credentials and signal keys, readable by a fresh store', async () => {
    const dir = join(data.dir, 'inst_A');
    const first = createFileAuthStore({ dir });
    const state = await first.load();
    state.creds.me = ME;
    await first.saveCreds();
    await state.keys.set({ 'pre-key': { '7': { public: Buffer.from([1, 2]), private: Buffer.from([3, 4]) } }, session: { '49151.0': Buffer.from('abc') } });

    const second = await createFileAuthStore({ dir }).load();
    expect(second.creds.me).toEqual(ME);
    expect(Buffer.isBuffer(second.creds.noiseKey.private)).toBe(true);
    expect(second.creds.noiseKey.private).toEqual(state.creds.noiseKey.private);
    const keys = await second.keys.get('pre-key', ['7', '8']);
    expect(Buffer.from(keys['7']!.public)).toEqual(Buffer.from([1, 2]));
    expect(keys['8']).toBeUndefined();
    expect(Buffer.from((await second.keys.get('session', ['49151.0']))['49151.0']!).toString()).toBe('abc');
  });

  it('deletes a key set to null', async () => {
    const dir = join(data.dir, 'inst_A');
    const store = createFileAuthStore({ dir });
    const state = await store.load();
    await state.keys.set({ session: { x: Buffer.from('1') } });
    await state.keys.set({ session: { x: null } });
    expect(await (await createFileAuthStore({ dir }).load()).keys.get('session', ['x'])).toEqual({});
  });

  it('writes files 0600 in directories 0700', async () => {
    const dir = join(data.dir, 'inst_A');
    const state = await createFileAuthStore({ dir }).load();
    await state.keys.set({ session: { x: Buffer.from('1') } });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'creds.json'))).mode & 0o777).toBe(0o600);
    const [keyFile] = await readdir(join(dir, 'keys'));
    expect((await stat(join(dir, 'keys', keyFile!))).mode & 0o777).toBe(0o600);
  });

  it('loads the previous state when a crash left a truncated temp file beside creds.json', async () => {
    const dir = join(data.dir, 'inst_A');
    const store = createFileAuthStore({ dir });
    const state = await store.load();
    state.creds.me = ME;
    await store.saveCreds();
    // A crash between writing the temp file and renaming it: half a JSON document under the temp name.
    await writeFile(join(dir, '.creds.json.0badc0ffee00.tmp'), '{"noiseKey":{"private":{"type":"Buf', { mode: 0o600 });
    await writeFile(join(dir, 'keys', '.session--eA.json.0badc0ffee01.tmp'), '', { mode: 0o600 });

    const reloaded = await createFileAuthStore({ dir }).load();
    expect(reloaded.creds.me).toEqual(ME);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces a file atomically: readers see the old or the new content, never a mix', async () => {
    const path = join(data.dir, 'file.json');
    await writeFileAtomic(path, JSON.stringify({ v: 1, pad: 'x'.repeat(100_000) }));
    const writes = Array.from({ length: 10 }, (_, i) => writeFileAtomic(path, JSON.stringify({ v: i + 2, pad: 'y'.repeat(100_000) })));
    const reads = Array.from({ length: 20 }, async () => JSON.parse(await (await import('node:fs/promises')).readFile(path, 'utf8')) as { v: number });
    const seen = await Promise.all(reads);
    await Promise.all(writes);
    for (const value of seen) expect(value.v).toBeGreaterThanOrEqual(1);
  });

  it('forgets everything on wipe and drops writes that arrive after it', async () => {
    const dir = join(data.dir, 'inst_A');
    const store = createFileAuthStore({ dir });
    const state = await store.load();
    await store.wipe();
    await state.keys.set({ session: { x: Buffer.from('1') } });
    await store.saveCreds();
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('credentials across a restart', () => {
  it('are resumed by a new factory without a QR', async () => {
    const before = createHarness(data.dir);
    const session = before.open('inst_RESUME');
    await session.connect();
    await until(() => before.fake.sockets.length === 1);
    before.fake.last().showQr('qr-1');
    before.fake.last().emit('creds.update', { me: ME, platform: 'android' });
    before.fake.last().open();
    await until(() => session.status === 'connected');
    await session.close();

    const after = createHarness(data.dir);
    expect(await after.factory.hasCredentials('inst_RESUME')).toBe(true);
    expect(await after.factory.listInstancesWithCredentials()).toEqual(['inst_RESUME']);
    const resumed = after.open('inst_RESUME');
    await resumed.connect();
    await until(() => after.fake.sockets.length === 1);
    expect(after.fake.last().config.auth?.creds.me).toEqual(ME);
    expect(after.fake.last().config.auth?.creds.platform).toBe('android');
    after.fake.last().open();
    await until(() => resumed.status === 'connected');
    expect(after.types()).not.toContain('qr');
    await resumed.close();
  });

  it('are not reported for an instance that never paired, and are gone after wipeCredentials', async () => {
    const harness = createHarness(data.dir);
    const session = harness.open('inst_UNPAIRED');
    await session.connect();
    await session.close();
    expect(await harness.factory.hasCredentials('inst_UNPAIRED')).toBe(false);

    const paired = harness.open('inst_PAIRED');
    await paired.connect();
    await until(() => harness.fake.sockets.length === 2);
    harness.fake.last().emit('creds.update', { me: ME });
    await paired.close();
    expect(await harness.factory.listInstancesWithCredentials()).toEqual(['inst_PAIRED']);
    await harness.factory.wipeCredentials('inst_PAIRED');
    expect(await harness.factory.listInstancesWithCredentials()).toEqual([]);
  });

  it('refuses an instance id that could leave the sessions directory', () => {
    const harness = createHarness(data.dir);
    expect(() => harness.open('../etc')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
