/*
 * The S3 adapter against a real S3-compatible server (s3rver, started here on a loopback port, checking
 * request signatures): the MediaStore contract, the sweeper that deletes expired objects, and errors that
 * name the S3 code but never a credential.
 */
import { describeMediaStoreContract } from '@whatisup/core/testing';
import { createFakeClock } from '@whatisup/core/testing';
import { startLocalS3Server, type LocalS3Server } from '@whatisup/test-infra';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3MediaStore, type S3MediaStoreOptions } from '../src/index.js';

let s3: LocalS3Server;
let prefixes = 0;

beforeAll(async () => {
  s3 = await startLocalS3Server();
}, 30_000);

afterAll(async () => {
  await s3?.close();
});

function options(overrides: Partial<S3MediaStoreOptions> & Pick<S3MediaStoreOptions, 'clock' | 'maxBytes' | 'ttlMs'>): S3MediaStoreOptions {
  prefixes += 1;
  return {
    bucket: s3.bucket,
    prefix: `test-${prefixes}/`,
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    forcePathStyle: true,
    ...overrides,
  };
}

const rawClient = () =>
  new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });

async function keysUnder(prefix: string): Promise<string[]> {
  const client = rawClient();
  try {
    const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((object) => object.Key!).sort();
  } finally {
    client.destroy();
  }
}

describeMediaStoreContract(
  'S3-compatible bucket',
  async ({ clock, maxBytes, ttlMs }) => {
    const store = createS3MediaStore(options({ clock, maxBytes, ttlMs }));
    return { store, cleanup: async () => store.close() };
  },
  { evictsLeastRecentlyUsed: false },
);

describe('the S3 media store', () => {
  it('keeps nothing in memory: a second store on the same bucket and prefix reads what the first put', async () => {
    const clock = createFakeClock();
    const shared = options({ clock, maxBytes: 1_000, ttlMs: 60_000 });
    const writer = createS3MediaStore(shared);
    const reader = createS3MediaStore(shared);
    const stored = await writer.put({ customerId: 'cust_a', data: Uint8Array.from([5, 6]), mimeType: 'image/png', filename: null });
    expect(reader.holder).toBeNull();
    expect(Array.from((await reader.get(stored!.id))!.data)).toEqual([5, 6]);
    writer.close();
    reader.close();
  });

  it('sweeps the objects whose URL expired, oldest first, and stops at the first that has not', async () => {
    const clock = createFakeClock();
    const opts = options({ clock, maxBytes: 1_000, ttlMs: 60_000 });
    const store = createS3MediaStore(opts);
    const first = await store.put({ customerId: 'cust_a', data: Uint8Array.from([1]), mimeType: 'image/png', filename: null });
    clock.advance(30_000);
    const second = await store.put({ customerId: 'cust_a', data: Uint8Array.from([2]), mimeType: 'image/png', filename: null });
    // Someone else's object under the same prefix is not ours to delete.
    const client = rawClient();
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${opts.prefix}notes.txt`, Body: 'keep me' }));
    client.destroy();

    expect(await store.sweepExpired()).toBe(0);
    clock.advance(31_000); // the first expired, the second not
    expect(await store.sweepExpired()).toBe(1);
    expect(await keysUnder(opts.prefix)).toEqual([`${opts.prefix}${second!.id.slice(4)}`, `${opts.prefix}notes.txt`]);
    expect(await store.get(first!.id)).toBeNull();
    expect(await store.get(second!.id)).not.toBeNull();
    clock.advance(30_000);
    expect(await store.sweepExpired()).toBe(1);
    expect(await keysUnder(opts.prefix)).toEqual([`${opts.prefix}notes.txt`]);
    store.close();
  });

  it('sweeps at most about the limit it is given per call, and the rest at the next call', async () => {
    const clock = createFakeClock();
    const opts = options({ clock, maxBytes: 1_000, ttlMs: 1_000 });
    const store = createS3MediaStore(opts);
    for (let i = 0; i < 5; i++) await store.put({ customerId: 'cust_a', data: Uint8Array.from([i]), mimeType: 'image/png', filename: null });
    clock.advance(2_000);
    expect(await store.sweepExpired(2)).toBe(2);
    expect(await store.sweepExpired(2)).toBe(2);
    expect(await store.sweepExpired(2)).toBe(1);
    expect(await keysUnder(opts.prefix)).toEqual([]);
    store.close();
  });

  it('fails with the S3 error code and the bucket, never a credential, when the credentials are wrong', async () => {
    const clock = createFakeClock();
    const store = createS3MediaStore(options({ clock, maxBytes: 1_000, ttlMs: 60_000, credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'not-the-secret-xyz' } }));
    const error = (await store.put({ customerId: 'cust_a', data: Uint8Array.from([1]), mimeType: 'image/png', filename: null }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^S3 PutObject in bucket whatisup-media-test failed: InvalidAccessKeyId/);
    expect(error.message).not.toContain('not-the-secret-xyz');
    await expect(store.probe()).rejects.toThrow(/ListObjectsV2 .* failed/);
    store.close();
  });

  it('fails a probe of a bucket that does not exist with NoSuchBucket', async () => {
    const store = createS3MediaStore(options({ clock: createFakeClock(), maxBytes: 1_000, ttlMs: 60_000, bucket: 'no-such-bucket-here' }));
    await expect(store.probe()).rejects.toThrow(/NoSuchBucket/);
    store.close();
  });
});
