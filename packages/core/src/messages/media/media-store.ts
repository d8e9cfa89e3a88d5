/*
 * The MediaStore port: where inbound attachments (and profile pictures) wait, behind signed `/v1/media`
 * URLs, until the customer fetches them or their URL expires. Two implementations: this process's memory
 * (`createMediaStore` below, the default) and an S3-compatible bucket (its own adapter package), which
 * every node reads alike.
 *
 * The in-process store is a least-recently-used cache bounded by total bytes (MEDIA_CACHE_MAX_BYTES) whose
 * entries also expire (MEDIA_URL_TTL), so memory stays bounded whatever arrives. An entry larger than the
 * whole cache is refused rather than flushing everything else. What is gone (evicted, expired, or lost
 * with a restart) is gone: the signed URL then answers 410 `media_expired`. Its bytes live in the process
 * that received them (the node that runs the instance's session); its `holder` names that node, the URL
 * carries it, and another node forwards the download there.
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

export interface NewMedia {
  readonly customerId: string;
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly filename: string | null;
}

export interface MediaStore {
  /**
   * The node whose memory holds what this store keeps, or null when every node reads the same bytes (a
   * shared bucket). Signed into media URLs, so a node that is not the holder can forward the download.
   */
  readonly holder: string | null;
  /** The largest attachment it keeps (larger ones are refused by `put`, so need not be downloaded). */
  readonly maxBytes: number;
  /**
   * Keeps the bytes until one TTL from now. Returns the entry, or null when they exceed `maxBytes`. Throws
   * when the backing store fails (unreachable, refused): the caller treats that like a failed download.
   */
  put(media: NewMedia): Promise<StoredMedia | null>;
  /** The entry, or null when absent, expired or evicted. Throws when the backing store fails. */
  get(id: string): Promise<StoredMedia | null>;
}

/** The in-process store, which also says how many bytes it holds (a gauge, and the contract's LRU part). */
export interface InProcessMediaStore extends MediaStore {
  /** Bytes held now. */
  readonly size: number;
}

export interface MediaStoreOptions {
  readonly clock: Clock;
  readonly maxBytes: number;
  readonly ttlMs: number;
  /** This process's node id; null (the default) for a process no other node forwards to. */
  readonly holder?: string | null;
}

/** A random media id: 128 bits, hex, prefixed. */
const newMediaId = (): string => `med_${randomBytes(16).toString('hex')}`;

export function createMediaStore({ clock, maxBytes, ttlMs, holder = null }: MediaStoreOptions): InProcessMediaStore {
  const entries = new Map<string, StoredMedia>(); // insertion order = recency order (oldest first)
  let size = 0;

  const drop = (id: string): void => {
    const entry = entries.get(id);
    if (entry === undefined) return;
    entries.delete(id);
    size -= entry.data.byteLength;
  };

  return {
    holder,
    maxBytes,
    async put({ customerId, data, mimeType, filename }) {
      if (data.byteLength > maxBytes) return null;
      const now = clock.now().getTime();
      for (const [id, entry] of entries) {
        if (size + data.byteLength <= maxBytes && entry.expiresAt.getTime() > now) break;
        drop(id);
      }
      const entry: StoredMedia = { id: newMediaId(), customerId, data, mimeType, filename, expiresAt: new Date(now + ttlMs) };
      entries.set(entry.id, entry);
      size += data.byteLength;
      return entry;
    },
    async get(id) {
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
