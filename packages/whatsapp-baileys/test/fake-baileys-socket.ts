/*
 * A fake Baileys socket: an EventEmitter `ev` taking Baileys' event names and payload shapes, recording
 * what the session asks of it. Tests drive it the way WhatsApp drives a real socket.
 */
import { EventEmitter } from 'node:events';
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
import type { BaileysSocket, BaileysSocketFactory } from '../src/baileys-socket.js';

export interface SentCall {
  readonly jid: string;
  readonly content: AnyMessageContent;
  readonly options: MiscMessageGenerationOptions | undefined;
}

/** A Boom-shaped error as Baileys puts in `lastDisconnect.error`. */
export function boom(statusCode: number, message = `status ${statusCode}`): Error {
  return Object.assign(new Error(message), { isBoom: true, output: { statusCode, payload: { statusCode } } });
}

/** Someone on the fake WhatsApp: what the directory calls answer about them. */
export interface FakeAccount {
  /** Their LID JID, when WhatsApp maps them to one. */
  readonly lid?: string;
  readonly business?: WABusinessProfile;
  /** Their picture URL on WhatsApp's CDN; absent: Baileys' 404 `item-not-found`. */
  readonly pictureUrl?: string;
}

export class FakeBaileysSocket implements BaileysSocket {
  readonly emitter = new EventEmitter();
  readonly ev = {
    on: <E extends keyof BaileysEventMap>(event: E, listener: (payload: BaileysEventMap[E]) => void): void => {
      this.emitter.on(event, listener);
    },
    removeAllListeners: (event?: keyof BaileysEventMap): void => {
      this.emitter.removeAllListeners(event);
    },
  };
  user: { id: string; lid?: string } | undefined;
  readonly sent: SentCall[] = [];
  readonly pairingRequests: string[] = [];
  ended = false;
  loggedOut = false;
  sendImpl: ((call: SentCall) => Promise<WAMessage | undefined>) | null = null;
  /** The fake WhatsApp's users by phone JID (`…@s.whatsapp.net`). */
  readonly accounts = new Map<string, FakeAccount>();
  /** JIDs the account has blocked, as `fetchBlocklist` returns them. */
  blocked: string[] = [];
  /** Every directory call (`onWhatsApp:<jids>`, `profilePictureUrl:<jid>`, `updateBlockStatus:<jid>:<action>`, ...). */
  readonly calls: string[] = [];
  /** When set, directory calls never answer (a silent WhatsApp). */
  silent = false;
  readonly signalRepository = {
    lidMapping: {
      getPNForLID: async (lid: string): Promise<string | null> => {
        this.calls.push(`getPNForLID:${lid}`);
        for (const [pn, account] of this.accounts) if (account.lid === lid) return pn.replace('@', ':0@');
        return null;
      },
      getLIDForPN: async (pn: string): Promise<string | null> => {
        this.calls.push(`getLIDForPN:${pn}`);
        return this.accounts.get(pn)?.lid ?? null;
      },
    },
  };
  private counter = 0;

  constructor(readonly config: UserFacingSocketConfig) {}

  emit<E extends keyof BaileysEventMap>(event: E, payload: BaileysEventMap[E]): void {
    this.emitter.emit(event, payload);
  }

  showQr(qr: string): void {
    this.emit('connection.update', { qr });
  }

  open(userJid = '4915112345678:3@s.whatsapp.net'): void {
    this.user = { id: userJid };
    this.emit('connection.update', { connection: 'open' });
  }

  close(statusCode: number): void {
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error: boom(statusCode), date: new Date() } });
  }

  async sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined> {
    const call = { jid, content, options };
    this.sent.push(call);
    if (this.sendImpl) return this.sendImpl(call);
    this.counter += 1;
    const message = 'text' in content ? { conversation: content.text } : { extendedTextMessage: { text: 'media' } };
    return { key: { remoteJid: jid, fromMe: true, id: `3EB0FAKE${this.counter}` }, message };
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    return 'ABCD1234';
  }

  async updateMediaMessage(message: WAMessage): Promise<WAMessage> {
    return message;
  }

  private answer<T>(value: () => T): Promise<T> {
    return this.silent ? new Promise<T>(() => undefined) : Promise.resolve().then(value);
  }

  onWhatsApp(...phoneNumber: string[]): Promise<Array<{ jid: string; exists: boolean }> | undefined> {
    this.calls.push(`onWhatsApp:${phoneNumber.join(',')}`);
    // As Baileys: a USync query whose answer lists only numbers that are contacts on WhatsApp.
    return this.answer(() =>
      phoneNumber
        .map((n) => `${n.replace('+', '').split('@')[0]!.split(':')[0]}@s.whatsapp.net`)
        .filter((jid) => this.accounts.has(jid))
        .map((jid) => ({ jid, exists: true })),
    );
  }

  profilePictureUrl(jid: string, type?: 'preview' | 'image'): Promise<string | undefined> {
    this.calls.push(`profilePictureUrl:${jid}:${type ?? 'preview'}`);
    return this.answer(() => {
      const url = this.accounts.get(jid)?.pictureUrl;
      if (url === undefined) throw boom(404, 'item-not-found');
      return url;
    });
  }

  getBusinessProfile(jid: string): Promise<WABusinessProfile | void> {
    this.calls.push(`getBusinessProfile:${jid}`);
    return this.answer(() => this.accounts.get(jid)?.business);
  }

  updateBlockStatus(jid: string, action: 'block' | 'unblock'): Promise<void> {
    this.calls.push(`updateBlockStatus:${jid}:${action}`);
    return this.answer(() => {
      this.blocked = action === 'block' ? [...new Set([...this.blocked, jid])] : this.blocked.filter((b) => b !== jid);
    });
  }

  fetchBlocklist(): Promise<Array<string | undefined>> {
    this.calls.push('fetchBlocklist');
    return this.answer(() => [...this.blocked]);
  }

  /** Every key `readMessages` was given, in order. */
  readonly readKeys: WAMessageKey[] = [];

  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void> {
    this.calls.push(`sendPresenceUpdate:${type}:${toJid ?? ''}`);
    return this.answer(() => undefined);
  }

  presenceSubscribe(toJid: string): Promise<void> {
    this.calls.push(`presenceSubscribe:${toJid}`);
    return this.answer(() => undefined);
  }

  readMessages(keys: WAMessageKey[]): Promise<void> {
    this.calls.push(`readMessages:${keys.map((k) => k.id).join(',')}`);
    this.readKeys.push(...keys);
    return this.answer(() => undefined);
  }

  /** Every `chatModify` call, in order. */
  readonly chatModifications: Array<{ readonly mod: ChatModification; readonly jid: string }> = [];

  /**
   * Records the patch and, as Baileys does with `emitOwnEvents` (its default), echoes it as the sync action
   * would arrive: `chats.update` with `archived`, `pinned` (the pin time in seconds, or null), `muteEndTime`
   * or `unreadCount` (0 read, -1 unread), or `chats.delete`.
   */
  chatModify(mod: ChatModification, jid: string): Promise<void> {
    this.chatModifications.push({ mod, jid });
    this.calls.push(`chatModify:${Object.keys(mod)[0]}:${jid}`);
    return this.answer(() => {
      if ('archive' in mod) this.emit('chats.update', [{ id: jid, archived: mod.archive }]);
      else if ('pin' in mod) this.emit('chats.update', [{ id: jid, pinned: mod.pin ? 1_746_100_000 : null }]);
      else if ('mute' in mod) this.emit('chats.update', [{ id: jid, muteEndTime: mod.mute }]);
      else if ('markRead' in mod) this.emit('chats.update', [{ id: jid, unreadCount: mod.markRead ? 0 : -1 }]);
      else if ('delete' in mod) this.emit('chats.delete', [jid]);
    });
  }

  async logout(): Promise<void> {
    this.loggedOut = true;
    this.close(401); // what Baileys does: end the socket with loggedOut
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error: boom(428, 'Connection Closed'), date: new Date() } });
  }
}

export function createFakeSocketFactory(): { factory: BaileysSocketFactory; sockets: FakeBaileysSocket[]; last(): FakeBaileysSocket } {
  const sockets: FakeBaileysSocket[] = [];
  return {
    sockets,
    factory: (config) => {
      const socket = new FakeBaileysSocket(config);
      sockets.push(socket);
      return socket;
    },
    last() {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was created');
      return socket;
    },
  };
}
