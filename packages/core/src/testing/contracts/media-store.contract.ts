/*
 * The MediaStore port: where inbound attachments wait for the customer to fetch them through a signed URL.
 * Written for every implementation (the in-process LRU, an S3-compatible bucket). Time is the fake clock
 * the factory receives, so expiry is tested without waiting.
 *
 * The byte cap means two things: for every store, the largest single item (`put` refuses more); for a store
 * that keeps bytes in memory (`evictsLeastRecentlyUsed`), also the total it holds, made room for by evicting
 * the least recently used. A bucket holds what it is given until it expires, so it skips that part.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MediaStore, StoredMedia } from '../../messages/index.js';
import { createFakeClock, type FakeClock } from '../fake-clock.js';

export interface MediaStoreContractOptions {
  /** The store's notion of now: expiry is measured on it. */
  readonly clock: FakeClock;
  /** The byte cap: total bytes held, and so the largest single item. */
  readonly maxBytes: number;
  readonly ttlMs: number;
}

/** A fresh, empty store for one test; `cleanup` (when given) removes whatever it stored. */
export type MediaStoreFactory = (
  options: MediaStoreContractOptions,
) => Promise<{ readonly store: MediaStore & { readonly size?: number }; readonly cleanup?: () => Promise<void> }>;

export interface MediaStoreContractTraits {
  /** The cap bounds the total held, and `size` says it: the LRU part of the suite runs. */
  readonly evictsLeastRecentlyUsed: boolean;
}

const TTL_MS = 60_000;
const bytes = (length: number, fill = 7): Uint8Array => new Uint8Array(length).fill(fill);

/** The behaviour every `MediaStore` must have. */
export function describeMediaStoreContract(name: string, factory: MediaStoreFactory, traits: MediaStoreContractTraits): void {
  describe(`MediaStore contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
    });

    async function open(maxBytes = 1_000) {
      const clock = createFakeClock();
      const made = await factory({ clock, maxBytes, ttlMs: TTL_MS });
      if (made.cleanup) cleanups.push(made.cleanup);
      const { store } = made;
      return {
        clock,
        store,
        // Awaited through an async function so a promise-returning store fits the same calls.
        put: (data: Uint8Array, customerId = 'cust_media1'): Promise<StoredMedia | null> =>
          store.put({ customerId, data, mimeType: 'image/jpeg', filename: 'photo.jpg' }),
        get: (id: string): Promise<StoredMedia | null> => store.get(id),
      };
    }

    it('gives back what was put, with the customer, mime type, filename and an expiry one TTL ahead', async () => {
      const { clock, put, get } = await open();
      const data = Uint8Array.from([1, 2, 3, 4]);
      const stored = await put(data, 'cust_owner');
      expect(stored).toMatchObject({ customerId: 'cust_owner', mimeType: 'image/jpeg', filename: 'photo.jpg' });
      expect(stored!.expiresAt).toEqual(new Date(clock.now().getTime() + TTL_MS));
      const found = await get(stored!.id);
      expect(found).toMatchObject({ id: stored!.id, customerId: 'cust_owner', mimeType: 'image/jpeg', filename: 'photo.jpg' });
      expect(Uint8Array.from(found!.data)).toEqual(data);
      expect(found!.expiresAt).toEqual(stored!.expiresAt);
    });

    it('keeps a null filename null', async () => {
      const { store, get } = await open();
      const stored = await store.put({ customerId: 'cust_media1', data: bytes(3), mimeType: 'audio/ogg', filename: null });
      expect((await get(stored!.id))?.filename).toBeNull();
    });

    it('gives back every byte value, an empty item, and a filename and mime type beyond ASCII unchanged', async () => {
      const { store, get } = await open();
      const every = Uint8Array.from({ length: 256 }, (_, i) => i);
      const filename = 'Überweisung „März“ 𝄞 \\"quoted\\".pdf';
      const stored = await store.put({ customerId: 'cust_media1', data: every, mimeType: 'application/pdf; name="x"', filename });
      const found = await get(stored!.id);
      expect(Uint8Array.from(found!.data)).toEqual(every);
      expect(found).toMatchObject({ filename, mimeType: 'application/pdf; name="x"' });
      const empty = await store.put({ customerId: 'cust_media1', data: new Uint8Array(0), mimeType: 'text/plain', filename: null });
      expect((await get(empty!.id))?.data.byteLength).toBe(0);
    });

    it('answers null, never throws, for an id that is not one of its own (path tricks included)', async () => {
      const { get } = await open();
      for (const id of ['', 'med_', '../med_x', 'med_/../../etc/passwd', 'med_%2e%2e', 'a'.repeat(600)]) {
        expect(await get(id), id).toBeNull();
      }
    });

    it('hands out a distinct, unguessable-looking id per item', async () => {
      const { put } = await open();
      const first = await put(bytes(1));
      const second = await put(bytes(1));
      expect(first!.id).not.toBe(second!.id);
      expect(first!.id.length).toBeGreaterThanOrEqual(16);
    });

    it('answers null for an id it never stored', async () => {
      const { get } = await open();
      expect(await get('med_00000000000000000000000000000000')).toBeNull();
    });

    it('keeps an item until its TTL ends, then forgets it', async () => {
      const { clock, put, get } = await open();
      const stored = await put(bytes(10));
      clock.advance(TTL_MS - 1);
      expect(await get(stored!.id)).not.toBeNull();
      clock.advance(1);
      expect(await get(stored!.id)).toBeNull();
    });

    it('reports its byte cap and refuses an item one byte over it', async () => {
      const { store, put, get } = await open(100);
      expect(store.maxBytes).toBe(100);
      expect(await put(bytes(101))).toBeNull();
      const full = await put(bytes(100));
      expect((await get(full!.id))?.data.byteLength).toBe(100);
    });

    it('keeps items of different customers apart: each comes back with its own customer', async () => {
      const { put, get } = await open();
      const mine = await put(bytes(2, 1), 'cust_a');
      const theirs = await put(bytes(2, 2), 'cust_b');
      expect(await get(mine!.id)).toMatchObject({ customerId: 'cust_a' });
      expect(await get(theirs!.id)).toMatchObject({ customerId: 'cust_b' });
    });
  });

  // Runs only for stores that bound their total in memory; a bucket has no total to bound (see the top).
  describe.runIf(traits.evictsLeastRecentlyUsed)(`MediaStore contract, bounded in total: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
    });

    async function open(maxBytes: number) {
      const made = await factory({ clock: createFakeClock(), maxBytes, ttlMs: TTL_MS });
      if (made.cleanup) cleanups.push(made.cleanup);
      const { store } = made;
      return {
        store,
        put: (data: Uint8Array): Promise<StoredMedia | null> =>
          store.put({ customerId: 'cust_media1', data, mimeType: 'image/jpeg', filename: 'photo.jpg' }),
        get: (id: string): Promise<StoredMedia | null> => store.get(id),
        size: async (): Promise<number> => {
          if (store.size === undefined) throw new Error('a store that evicts says how many bytes it holds');
          return store.size;
        },
      };
    }

    it('reports its byte cap and the bytes it holds', async () => {
      const { store, put, size } = await open(100);
      expect(store.maxBytes).toBe(100);
      expect(await size()).toBe(0);
      await put(bytes(30));
      await put(bytes(20));
      expect(await size()).toBe(50);
    });

    it('holds an item of exactly the cap and refuses one byte more, keeping what it held', async () => {
      const { put, get, size } = await open(100);
      const kept = await put(bytes(40));
      expect(await put(bytes(101))).toBeNull();
      expect(await get(kept!.id)).not.toBeNull();
      expect(await size()).toBe(40);
      const full = await put(bytes(100));
      expect(full).not.toBeNull();
      expect((await get(full!.id))?.data.byteLength).toBe(100);
    });

    it('makes room under the cap by evicting the least recently used items first', async () => {
      const { put, get, size } = await open(100);
      const oldest = await put(bytes(40, 1));
      const middle = await put(bytes(40, 2));
      expect(await get(oldest!.id)).not.toBeNull(); // now `middle` is the least recently used
      const newest = await put(bytes(40, 3));
      expect(await get(middle!.id)).toBeNull();
      expect((await get(oldest!.id))?.data[0]).toBe(1);
      expect((await get(newest!.id))?.data[0]).toBe(3);
      expect(await size()).toBeLessThanOrEqual(100);
    });

    it('evicts only as much as the new item needs', async () => {
      const { put, get } = await open(100);
      const items = [await put(bytes(30)), await put(bytes(30)), await put(bytes(30))];
      await put(bytes(20));
      expect(await get(items[0]!.id)).toBeNull();
      expect(await get(items[1]!.id)).not.toBeNull();
      expect(await get(items[2]!.id)).not.toBeNull();
    });
  });
}
