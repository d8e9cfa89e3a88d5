/*
 * How many event streams may be open at once: per API key (or event token, which acts for its key), per
 * customer and in the whole process. An SSE connection holds a socket, a file descriptor and a bus listener
 * for as long as the client likes, so without these caps one customer can open streams until the process
 * runs out of descriptors and nobody else gets an answer. A slot is taken before the response starts and
 * given back exactly once when the stream ends, whatever ends it.
 */
import type { Principal } from '@whatisup/core';

export interface StreamCaps {
  readonly perKey: number;
  readonly perCustomer: number;
  readonly total: number;
}

export const DEFAULT_STREAM_CAPS: StreamCaps = { perKey: 20, perCustomer: 100, total: 1_000 };

export type StreamCapScope = 'key' | 'customer' | 'process';

export type StreamSlot =
  | { readonly granted: true; release(): void }
  | { readonly granted: false; readonly scope: StreamCapScope; readonly limit: number };

export interface StreamSlots {
  readonly caps: StreamCaps;
  /** Takes a slot for `principal`'s new stream, or says which cap is reached. */
  acquire(principal: Principal): StreamSlot;
  /** Streams open now in this process. */
  open(): number;
}

export function createStreamSlots(caps: StreamCaps = DEFAULT_STREAM_CAPS): StreamSlots {
  const byKey = new Map<string, number>();
  const byCustomer = new Map<string, number>();
  let total = 0;

  const bump = (counts: Map<string, number>, id: string, by: number) => {
    const next = (counts.get(id) ?? 0) + by;
    if (next <= 0) counts.delete(id);
    else counts.set(id, next);
  };

  return {
    caps,
    acquire(principal) {
      if ((byKey.get(principal.keyId) ?? 0) >= caps.perKey) return { granted: false, scope: 'key', limit: caps.perKey };
      if ((byCustomer.get(principal.customerId) ?? 0) >= caps.perCustomer) {
        return { granted: false, scope: 'customer', limit: caps.perCustomer };
      }
      if (total >= caps.total) return { granted: false, scope: 'process', limit: caps.total };
      bump(byKey, principal.keyId, 1);
      bump(byCustomer, principal.customerId, 1);
      total += 1;
      let released = false;
      return {
        granted: true,
        release() {
          if (released) return;
          released = true;
          bump(byKey, principal.keyId, -1);
          bump(byCustomer, principal.customerId, -1);
          total -= 1;
        },
      };
    },
    open: () => total,
  };
}
