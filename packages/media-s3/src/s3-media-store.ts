/*
 * The MediaStore port on an S3-compatible bucket (AWS S3, MinIO, R2, Ceph, s3rver), so every node serves
 * every media URL: the bytes are not in anyone's memory.
 *
 * Layout: one object per item, key `<prefix><expiry>-<random>`, where <expiry> is the unix second the
 * item's URL expires, zero-padded to 10 digits, and the media id is `med_<expiry>-<random>`. So:
 *  - `get` refuses an expired id without asking the bucket, and never reads a key it did not make (the id
 *    is checked against that exact shape, so no path or prefix tricks reach S3);
 *  - keys sort by expiry, and `sweepExpired` lists from the start of the prefix and deletes until the
 *    first key that has not expired: it never pages through live objects. Lifecycle rules cannot do this
 *    (their granularity is a day, and not every S3-compatible server has them), so the sweeper is the
 *    mechanism and a lifecycle rule on the prefix an optional backstop (docs/scaling.md).
 * Customer, mime type and filename travel as object metadata; the filename percent-encoded, since S3
 * metadata is ASCII.
 *
 * The cap is per item (`maxBytes`): a bucket holds what it is given until it expires, so there is no
 * eviction. Driver errors other than "no such key" are rethrown as plain errors that name the operation
 * and the S3 error code, never a credential.
 */
import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Clock, MediaStore, StoredMedia } from '@whatisup/core';

export interface S3MediaStoreOptions {
  readonly clock: Clock;
  /** Lifetime of an item: its URL's. */
  readonly ttlMs: number;
  /** The largest item kept; larger ones are refused by `put`. */
  readonly maxBytes: number;
  readonly bucket: string;
  /** Every key starts with it (e.g. `whatisup-media/`). */
  readonly prefix: string;
  /** S3_ENDPOINT; null: AWS's endpoint for the region. */
  readonly endpoint: string | null;
  readonly region: string;
  /** null: the SDK's default credential chain. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | null;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most self-hosted servers need. */
  readonly forcePathStyle: boolean;
  /** Deadline of one S3 request. Default 30 s. */
  readonly requestTimeoutMs?: number;
}

export interface S3MediaStore extends MediaStore {
  /** Deletes the objects whose expiry passed; returns how many. At most about `limit` per call (default 10,000). */
  sweepExpired(limit?: number): Promise<number>;
  /** Whether the bucket answers with these credentials; throws an error naming the S3 code when not. */
  probe(): Promise<void>;
  close(): void;
}

const ID = /^med_(\d{10})-([0-9a-f]{32})$/;
const DELETE_CONCURRENCY = 8;

/** The S3 error code (or HTTP status) of a driver error: enough to act on, and free of credentials. */
function codeOf(error: unknown): string {
  const e = error as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const code = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' ? `${code} (HTTP ${status})` : code;
}

/** No `cause`: the driver's error carries the raw response, which has no place in a log. */
const failed = (operation: string, bucket: string, error: unknown): Error =>
  new Error(`S3 ${operation} in bucket ${bucket} failed: ${codeOf(error)}`);

const isMissing = (error: unknown): boolean => {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

export function createS3MediaStore(options: S3MediaStoreOptions): S3MediaStore {
  const { clock, ttlMs, maxBytes, bucket, prefix } = options;
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint !== null && { endpoint: options.endpoint }),
    ...(options.credentials !== null && { credentials: { ...options.credentials } }),
    // Checksums only where S3 requires them: several S3-compatible servers reject the CRC headers the SDK
    // sends by default, and TLS already protects the bytes in transit.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
  });
  const timeout = () => ({ abortSignal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000) });
  const keyOf = (id: string): string => `${prefix}${id.slice('med_'.length)}`;

  return {
    holder: null,
    maxBytes,

    async put({ customerId, data, mimeType, filename }) {
      if (data.byteLength > maxBytes) return null;
      const expiresAt = new Date(clock.now().getTime() + ttlMs);
      const seconds = String(Math.ceil(expiresAt.getTime() / 1000)).padStart(10, '0');
      // Ids look like the in-process store's (`med_` + 32 hex) with the expiry in front.
      const id = `med_${seconds}-${randomBytes(16).toString('hex')}`;
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: keyOf(id),
            Body: data,
            ContentLength: data.byteLength,
            ContentType: mimeType,
            Metadata: {
              'customer-id': customerId,
              'mime-type': encodeURIComponent(mimeType),
              'expires-at-ms': String(expiresAt.getTime()),
              ...(filename !== null && { filename: encodeURIComponent(filename) }),
            },
          }),
          timeout(),
        );
      } catch (error) {
        throw failed('PutObject', bucket, error);
      }
      return { id, customerId, data, mimeType, filename, expiresAt };
    },

    async get(id) {
      const match = ID.exec(id);
      if (match === null) return null;
      if (Number(match[1]) * 1000 <= clock.now().getTime()) return null;
      let object;
      try {
        object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(id) }), timeout());
      } catch (error) {
        if (isMissing(error)) return null;
        throw failed('GetObject', bucket, error);
      }
      const meta = object.Metadata ?? {};
      const expiresAt = new Date(Number(meta['expires-at-ms']));
      const customerId = meta['customer-id'];
      if (customerId === undefined || Number.isNaN(expiresAt.getTime())) return null;
      // The key rounds the expiry up to a second; the exact instant is in the metadata.
      if (expiresAt.getTime() <= clock.now().getTime()) return null;
      const data = object.Body === undefined ? new Uint8Array(0) : await object.Body.transformToByteArray();
      const stored: StoredMedia = {
        id,
        customerId,
        data,
        mimeType: decodeURIComponent(meta['mime-type'] ?? 'application%2Foctet-stream'),
        filename: meta['filename'] === undefined ? null : decodeURIComponent(meta['filename']),
        expiresAt,
      };
      return stored;
    },

    async sweepExpired(limit = 10_000) {
      const nowSeconds = Math.floor(clock.now().getTime() / 1000);
      let deleted = 0;
      let token: string | undefined;
      for (;;) {
        let page;
        try {
          page = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: Math.min(1_000, limit - deleted), ContinuationToken: token }),
            timeout(),
          );
        } catch (error) {
          throw failed('ListObjectsV2', bucket, error);
        }
        const expired: string[] = [];
        let reachedLive = false;
        for (const { Key } of page.Contents ?? []) {
          const expiry = Key === undefined ? null : /^(\d{10})-/.exec(Key.slice(prefix.length));
          // A key of another shape is not ours. Sorted by expiry: the first live key ends the sweep.
          if (expiry === null) continue;
          if (Number(expiry[1]) > nowSeconds) {
            reachedLive = true;
            break;
          }
          expired.push(Key!);
        }
        // One DeleteObject per key, a few at a time: every S3-compatible server has it, whereas the batch call
        // needs a Content-MD5 some servers insist on and the SDK no longer sends.
        for (let i = 0; i < expired.length; i += DELETE_CONCURRENCY) {
          await Promise.all(
            expired.slice(i, i + DELETE_CONCURRENCY).map(async (Key) => {
              try {
                await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }), timeout());
              } catch (error) {
                if (!isMissing(error)) throw failed('DeleteObject', bucket, error);
              }
            }),
          );
        }
        deleted += expired.length;
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
        if (reachedLive || token === undefined || deleted >= limit) return deleted;
      }
    },

    async probe() {
      try {
        await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }), timeout());
      } catch (error) {
        throw failed('ListObjectsV2', bucket, error);
      }
    },

    close() {
      client.destroy();
    },
  };
}
