/*
 * The slice of a Baileys socket the session uses, so tests can hand in a faithful fake (an `ev` emitter
 * with Baileys' event names and payloads, recording `sendMessage`). The default factory is Baileys'
 * makeWASocket.
 */
import { makeWASocket } from '@whiskeysockets/baileys';
import type {
  AnyMessageContent,
  BaileysEventMap,
  MiscMessageGenerationOptions,
  UserFacingSocketConfig,
  WAMessage,
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
  end(error: Error | undefined): void | Promise<void>;
}

export type BaileysSocketFactory = (config: UserFacingSocketConfig) => BaileysSocket;

export const makeBaileysSocket: BaileysSocketFactory = (config) => makeWASocket(config);
