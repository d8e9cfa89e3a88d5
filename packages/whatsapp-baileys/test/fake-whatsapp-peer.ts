/*
 * WhatsApp's side of a Baileys session, played over fake sockets: every new socket answers on the next
 * turn as WhatsApp does (a QR when the credentials are unpaired, an open connection when they hold an
 * account), and pairing follows Baileys' real sequence: `creds.update` with the account, then a close with
 * restartRequired (515), after which the session opens a new socket that resumes.
 */
import type { MessageDeliveryStatus, WhatsAppSession } from '@whatisup/core';
import type { WhatsAppPeerDriver } from '@whatisup/core/testing';
import type { BaileysSocketFactory } from '../src/baileys-socket.js';
import { createFakeSocketFactory, type FakeBaileysSocket } from './fake-baileys-socket.js';

export const PEER_PHONE_JID = '4915112345678:3@s.whatsapp.net';

const STATUS_CODE: Record<MessageDeliveryStatus, number> = { sent: 2, delivered: 3, read: 4, played: 5 };
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createFakeWhatsAppPeer(): {
  readonly socketFactory: BaileysSocketFactory;
  readonly sockets: FakeBaileysSocket[];
  readonly driver: WhatsAppPeerDriver<WhatsAppSession>;
} {
  const fake = createFakeSocketFactory();
  let messages = 0;
  const socketFactory: BaileysSocketFactory = (config) => {
    const socket = fake.factory(config) as FakeBaileysSocket;
    const account = config.auth.creds.me?.id;
    setImmediate(() => {
      if (socket.ended) return;
      if (account) socket.open(account);
      else socket.showQr(`2@contract-qr-${fake.sockets.length}`);
    });
    return socket;
  };
  return {
    socketFactory,
    sockets: fake.sockets,
    driver: {
      async completePairing() {
        const socket = fake.last();
        socket.emit('creds.update', { me: { id: PEER_PHONE_JID, name: 'Contract' } });
        socket.close(515);
      },
      async deliverInbound(_session, { from, text }) {
        messages += 1;
        fake.last().emit('messages.upsert', {
          type: 'notify',
          messages: [
            {
              key: { remoteJid: `${from}@s.whatsapp.net`, fromMe: false, id: `3A00CONTRACT${messages}` },
              messageTimestamp: Math.floor(Date.now() / 1000),
              pushName: 'Peer',
              message: { conversation: text },
            },
          ],
        });
      },
      async deliverReaction(_session, { from, whatsappId, emoji }) {
        messages += 1;
        // As Baileys emits it after cleanMessage: the reacted-to key in our perspective (our message: fromMe).
        fake.last().emit('messages.upsert', {
          type: 'notify',
          messages: [
            {
              key: { remoteJid: `${from}@s.whatsapp.net`, fromMe: false, id: `3A00CONTRACT${messages}` },
              messageTimestamp: Math.floor(Date.now() / 1000),
              pushName: 'Peer',
              message: { reactionMessage: { key: { remoteJid: `${from}@s.whatsapp.net`, fromMe: true, id: whatsappId }, text: emoji, senderTimestampMs: Date.now() } },
            },
          ],
        });
      },
      async ackSent(_session, { whatsappId, to, status }) {
        fake.last().emit('messages.update', [
          { key: { remoteJid: `${to}@s.whatsapp.net`, fromMe: true, id: whatsappId }, update: { status: STATUS_CODE[status] } },
        ]);
      },
      settle: nextTurn,
      async ringCall(_session, { from }) {
        messages += 1;
        const id = `CALLCONTRACT${messages}`;
        // As Baileys' handleCall emits an offer from a phone-number caller.
        fake.last().emit('call', [
          { chatId: `${from}@s.whatsapp.net`, from: `${from}@s.whatsapp.net`, id, date: new Date(), offline: false, status: 'offer', isVideo: false, isGroup: false },
        ]);
        return id;
      },
    },
  };
}
