/*
 * Binds a socket's message events to the session listener: inbound messages (`notify` upserts only;
 * `append` upserts are history, offline catch-up or echoes of our own sends), messages sent from the phone
 * (`own_message`), receipts, presences of subscribed chats, and the phone numbers WhatsApp tells behind LIDs
 * (`lid-mapping.update`), calls (`call`) and views of our status posts (receipts on `status@broadcast`). A mapping failure drops that one message with a warning, never the socket.
 */
import type { SessionEvent } from '@whatisup/core';
import type { Logger } from 'pino';
import type { BaileysSocket } from './baileys-socket.js';
import type { SentMessageStore } from './sent-message-store.js';
import type { UnreadStore } from './unread-store.js';
import type { PushNames } from './push-names.js';
import { toPresenceUpdates } from './to-presence-updates.js';
import { toInboundMessage, type InboundContext } from './to-inbound-message.js';
import { fromMessageUpdates, fromReceiptUpdates } from './to-message-status-updates.js';
import { toLidJid, toPhoneNumber } from './to-whatsapp-jid.js';
import { toCallUpdates } from './to-call-updates.js';
import { toStoryViews } from './to-story-views.js';

export interface MessageEventDeps {
  readonly socket: BaileysSocket;
  readonly emit: (event: SessionEvent) => void;
  readonly sent: SentMessageStore;
  readonly unread: UnreadStore;
  readonly pushNames: PushNames;
  readonly inbound: InboundContext;
  readonly logger: Logger;
  readonly isCurrent: () => boolean;
}

export function bindMessageEvents(deps: MessageEventDeps): void {
  const { socket, emit, sent, unread, pushNames, inbound, logger, isCurrent } = deps;
  socket.ev.on('messages.upsert', ({ messages, type }) => {
    if (!isCurrent() || type !== 'notify') return;
    for (const raw of messages) {
      try {
        const message = toInboundMessage(raw, inbound);
        if (message === null) continue;
        if (!message.fromMe) {
          unread.remember(message.chatId, raw.key);
          if (message.pushName !== null) {
            for (const address of [message.author?.phoneNumber, message.author?.lid]) if (address) pushNames.remember(address, message.pushName);
          }
          emit({ type: 'message', message });
        }
        else if (!sent.has(message.messageId)) emit({ type: 'own_message', message });
      } catch (error) {
        logger.warn({ err: error, whatsapp_id: raw.key?.id }, 'could not map an inbound WhatsApp message');
      }
    }
  });
  socket.ev.on('messages.update', (updates) => {
    if (!isCurrent()) return;
    for (const update of fromMessageUpdates(updates, inbound.now())) emit({ type: 'message_status', update });
  });
  socket.ev.on('lid-mapping.update', (mapping) => {
    if (!isCurrent()) return;
    const lid = toLidJid(mapping.lid);
    const phoneNumber = toPhoneNumber(mapping.pn);
    if (lid !== null && phoneNumber !== null) emit({ type: 'lid_mapping', lid, phoneNumber });
  });
  socket.ev.on('presence.update', (update) => {
    if (!isCurrent()) return;
    for (const presence of toPresenceUpdates(update)) emit({ type: 'presence', update: presence });
  });
  socket.ev.on('message-receipt.update', (updates) => {
    if (!isCurrent()) return;
    for (const update of fromReceiptUpdates(updates, inbound.now())) emit({ type: 'message_status', update });
    for (const view of toStoryViews(updates, inbound.now())) emit({ type: 'story_view', view });
  });
  socket.ev.on('call', (calls) => {
    if (!isCurrent()) return;
    for (const call of toCallUpdates(calls, inbound.now())) emit({ type: 'call', call });
  });
}
