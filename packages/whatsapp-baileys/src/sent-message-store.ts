/*
 * The last N messages this session sent, by WhatsApp id. Baileys calls `getMessage` when a recipient's
 * device could not decrypt a message and asks for it again; answering lets it re-encrypt and resend.
 * Bounded (least recently stored first out) so a busy number cannot grow memory without limit.
 */
import type { proto } from '@whiskeysockets/baileys';

export interface SentMessageStore {
  remember(id: string, message: proto.IMessage): void;
  get(id: string): proto.IMessage | undefined;
  has(id: string): boolean;
  readonly size: number;
}

export function createSentMessageStore(maxEntries: number): SentMessageStore {
  const entries = new Map<string, proto.IMessage>();
  return {
    remember(id, message) {
      entries.delete(id);
      entries.set(id, message);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    get: (id) => entries.get(id),
    has: (id) => entries.has(id),
    get size() {
      return entries.size;
    },
  };
}
