/*
 * The slice of a Baileys socket the session uses, so tests can hand in a faithful fake (an `ev` emitter
 * with Baileys' event names and payloads, recording `sendMessage` and the directory calls). The default factory is Baileys'
 * makeWASocket.
 */
import { makeWASocket } from '@whiskeysockets/baileys';
import type {
  AnyMessageContent,
  BaileysEventMap,
  ChatModification,
  MiscMessageGenerationOptions,
  UserFacingSocketConfig,
  WABusinessProfile,
  WAMessage,
  WAMessageKey,
  WAPresence,
} from '@whiskeysockets/baileys';

export interface BaileysSocket {
  readonly ev: {
    on<E extends keyof BaileysEventMap>(event: E, listener: (payload: BaileysEventMap[E]) => void): void;
    removeAllListeners(event?: keyof BaileysEventMap): void;
  };
  readonly user?: { readonly id: string; readonly lid?: string } | undefined;
  sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  updateMediaMessage(message: WAMessage): Promise<WAMessage>;
  logout(reason?: string): Promise<void>;
  onWhatsApp(...phoneNumber: string[]): Promise<Array<{ jid: string; exists: boolean }> | undefined>;
  profilePictureUrl(jid: string, type?: 'preview' | 'image', timeoutMs?: number): Promise<string | undefined>;
  getBusinessProfile(jid: string): Promise<WABusinessProfile | void>;
  updateBlockStatus(jid: string, action: 'block' | 'unblock'): Promise<void>;
  fetchBlocklist(): Promise<Array<string | undefined>>;
  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void>;
  presenceSubscribe(toJid: string): Promise<void>;
  readMessages(keys: WAMessageKey[]): Promise<void>;
  /** Archive, pin, mute, mark read/unread, delete a chat (an app-state patch the other devices follow). */
  chatModify(mod: ChatModification, jid: string): Promise<void>;
  /** Baileys' LID ↔ phone number store (persisted with the auth state; may ask WhatsApp when it does not know). */
  readonly signalRepository: {
    readonly lidMapping: {
      getPNForLID(lid: string): Promise<string | null>;
      getLIDForPN(pn: string): Promise<string | null>;
    };
  };
  end(error: Error | undefined): void | Promise<void>;
}

export type BaileysSocketFactory = (config: UserFacingSocketConfig) => BaileysSocket;

export const makeBaileysSocket: BaileysSocketFactory = (config) => makeWASocket(config);
