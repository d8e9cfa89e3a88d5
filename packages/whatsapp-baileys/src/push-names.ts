/*
 * The name each contact gave themselves (WhatsApp's "push name"), as last seen on a message from them, by phone
 * number and by LID: what `contact()` can say about a name without a contacts sync. Bounded, oldest out.
 */
export interface PushNames {
  remember(address: string, name: string): void;
  readonly get: (address: string) => string | null;
}

export function createPushNames(maxEntries: number): PushNames {
  const names = new Map<string, string>();
  return {
    remember(address, name) {
      names.delete(address);
      names.set(address, name);
      while (names.size > maxEntries) {
        const oldest = names.keys().next().value;
        if (oldest === undefined) break;
        names.delete(oldest);
      }
    },
    get: (address) => names.get(address) ?? null,
  };
}
