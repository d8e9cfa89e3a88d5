/*
 * Binds a socket's message events to the session listener: inbound messages (`notify` upserts only;
 * `append` upserts are history, offline catch-up or echoes of our own sends, our API's edits and revokes
 * included), messages sent from the phone (`own_message`), reactions, edits, revokes and poll votes
 * (`message_change`; to-message-change.ts, poll-votes.ts), receipts (played ones too), presences of subscribed
 * chats, the phone numbers WhatsApp tells behind LIDs (`lid-mapping.update`), calls (`call`) and views of our
 * status posts (receipts on `status@broadcast`). A mapping failure drops that one message with a warning, never
 * the socket.
 */
import type { MessageChange, SessionEvent } from '@whatisup/core';
import { normalizeMessageContent } from '@whiskeysockets/baileys';
import type { PollVoteReader } from './poll-votes.js';
import { toMessageChange } from './to-message-change.js';
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
  readonly polls: PollVoteReader;
  readonly logger: Logger;
  readonly isCurrent: () => boolean;
}

export function bindMessageEvents(deps: MessageEventDeps): void {
  const { socket, emit, sent, unread, pushNames, inbound, polls, logger, isCurrent } = deps;
  /** Votes may need the poll's options from the database: they are emitted when read, in arrival order among themselves. */
  let votes = Promise.resolve();
  const readVote = (read: Promise<MessageChange | MessageChange[] | null>, id: string | null | undefined): void => {
    votes = votes
      .then(async () => {
        const found = await read;
        for (const change of found === null ? [] : Array.isArray(found) ? found : [found]) if (isCurrent()) emit({ type: 'message_change', change });
        if (found === null) logger.debug({ whatsapp_id: id }, 'a poll vote that cannot be read (not a poll of ours, or its secret is gone)');
      })
      .catch((error: unknown) => logger.warn({ err: error, whatsapp_id: id }, 'could not read a poll vote'));
  };
  socket.ev.on('messages.upsert', ({ messages, type }) => {
    if (!isCurrent() || type !== 'notify') return;
    for (const raw of messages) {
      try {
        const change = toMessageChange(raw, inbound);
        if (change !== null) {
          emit({ type: 'message_change', change });
          continue;
        }
        if (normalizeMessageContent(raw.message)?.pollUpdateMessage) {
          readVote(polls.fromUpsert(raw), raw.key?.id);
          continue;
        }
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
    for (const { key, update } of updates) {
      if (update.pollUpdates?.length) readVote(polls.fromUpdate(key, update.pollUpdates), key.id);
    }
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
