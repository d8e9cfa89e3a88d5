/*
 * A fake Baileys socket: an EventEmitter `ev` taking Baileys' event names and payload shapes, recording
 * what the session asks of it. Tests drive it the way WhatsApp drives a real socket.
 */
import { EventEmitter } from 'node:events';
import type { AnyMessageContent, BaileysEventMap, MiscMessageGenerationOptions, UserFacingSocketConfig, WAMessage } from '@whiskeysockets/baileys';
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
