/*
 * Inbound attachments in this process's memory: a least-recently-used cache bounded by total bytes
 * (MEDIA_CACHE_MAX_BYTES) whose entries also expire (MEDIA_URL_TTL), so memory stays bounded whatever
 * arrives. An entry larger than the whole cache is refused rather than flushing everything else. What is
 * gone (evicted, expired, or lost with a restart) is gone: the signed URL then answers 410 `media_expired`.
 * Being in-process, the media lives in the process that owns the session; in v1 that is the API process.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/index.js';

export interface StoredMedia {
  readonly id: string;
  readonly customerId: string;
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly filename: string | null;
  readonly expiresAt: Date;
}

export interface MediaStore {
  /** Keeps the bytes; returns the entry, or null when they exceed the whole cache. Evicts least recently used. */
  put(media: { customerId: string; data: Uint8Array; mimeType: string; filename: string | null }): StoredMedia | null;
  /** The entry (marking it recently used), or null when absent, evicted or expired. */
  get(id: string): StoredMedia | null;
  /** Bytes held now. */
  readonly size: number;
  /** The largest attachment it can hold (larger ones are refused by `put`, so need not be downloaded). */
  readonly maxBytes: number;
}

export interface MediaStoreOptions {
  readonly clock: Clock;
  readonly maxBytes: number;
  readonly ttlMs: number;
}

export function createMediaStore({ clock, maxBytes, ttlMs }: MediaStoreOptions): MediaStore {
  const entries = new Map<string, StoredMedia>(); // insertion order = recency order (oldest first)
  let size = 0;

  const drop = (id: string): void => {
    const entry = entries.get(id);
    if (entry === undefined) return;
    entries.delete(id);
    size -= entry.data.byteLength;
  };

  return {
    maxBytes,
    put({ customerId, data, mimeType, filename }) {
      if (data.byteLength > maxBytes) return null;
      const now = clock.now().getTime();
      for (const [id, entry] of entries) {
        if (size + data.byteLength <= maxBytes && entry.expiresAt.getTime() > now) break;
        drop(id);
      }
      const entry: StoredMedia = {
        id: `med_${randomBytes(16).toString('hex')}`,
        customerId,
        data,
        mimeType,
        filename,
        expiresAt: new Date(now + ttlMs),
      };
      entries.set(entry.id, entry);
      size += data.byteLength;
      return entry;
    },
    get(id) {
      const entry = entries.get(id);
      if (entry === undefined) return null;
      if (entry.expiresAt.getTime() <= clock.now().getTime()) {
        drop(id);
        return null;
      }
      entries.delete(id);
      entries.set(id, entry);
      return entry;
    },
    get size() {
      return size;
    },
  };
}
