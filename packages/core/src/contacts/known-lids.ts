/*
 * What this process knows to be stored about LIDs, so that a sender seen before costs no round trip. It is
 * exact, not a guess that can go stale: the first mapping of a LID per customer wins and is never changed,
 * and its row goes only with its customer. A LID's entry is therefore either the phone number stored behind
 * it or, when this process saw the row exist without reading it (another mapping won), `null`.
 *
 * Bounded: the least recently used entries are dropped beyond `maxEntries` (default 50,000, a few MB), so a
 * customer with millions of contacts only costs the lookups it would have cost anyway.
 */

export interface KnownLids {
  /** The phone number stored behind the customer's LID; `null` if stored but not read here; `undefined` if not known here. */
  get(customerId: string, lid: string): string | null | undefined;
  /** Remembers that the LID is stored, with its phone number when known. Never forgets a known number for `null`. */
  remember(customerId: string, lid: string, phoneNumber: string | null): void;
}

export const DEFAULT_KNOWN_LIDS = 50_000;

export function createKnownLids(maxEntries = DEFAULT_KNOWN_LIDS): KnownLids {
  const entries = new Map<string, string | null>();
  const keyOf = (customerId: string, lid: string) => `${customerId}\u0000${lid}`;
  return {
    get(customerId, lid) {
      const key = keyOf(customerId, lid);
      const phoneNumber = entries.get(key);
      if (phoneNumber === undefined) return undefined;
      entries.delete(key); // most recently used last: the oldest is dropped first
      entries.set(key, phoneNumber);
      return phoneNumber;
    },
    remember(customerId, lid, phoneNumber) {
      const key = keyOf(customerId, lid);
      const known = entries.get(key);
      entries.delete(key);
      entries.set(key, phoneNumber ?? known ?? null);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
