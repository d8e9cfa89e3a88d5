/*
 * Receipts → domain status updates. `messages.update` carries the aggregate status of a message we sent
 * (proto WebMessageInfo.Status: 2 server ack, 3 delivered, 4 read, 5 played); `message-receipt.update`
 * carries per-participant receipts in groups, naming the participant by the one JID WhatsApp gives (core
 * completes the other from the LIDs it learnt). Played (a voice note listened to) is its own status. Receipts for messages
 * we did not send, and pending/error statuses, are not status changes.
 */
import type { MessageDeliveryStatus, MessageStatusUpdate, PersonIdentity } from '@whatisup/core';
import { isLidUser, isPnUser } from '@whiskeysockets/baileys';
import type { MessageUserReceiptUpdate, WAMessageUpdate } from '@whiskeysockets/baileys';
import { toNumberOrNull } from './to-inbound-body.js';
import { preferPhone } from './to-inbound-message.js';
import { toLidJid, toPhoneNumber } from './to-whatsapp-jid.js';

/** A participant's JID as both addresses: the receipt names one (its phone JID or its LID). */
const identityOf = (jid: string | null | undefined): PersonIdentity => ({
  phoneNumber: jid && isPnUser(jid) ? toPhoneNumber(jid) : null,
  lid: jid && isLidUser(jid) ? toLidJid(jid) : null,
});

const STATUS_BY_CODE: Record<number, MessageDeliveryStatus> = { 2: 'sent', 3: 'delivered', 4: 'read', 5: 'played' };

export function fromMessageUpdates(updates: readonly WAMessageUpdate[], now: Date): MessageStatusUpdate[] {
  const out: MessageStatusUpdate[] = [];
  for (const { key, update } of updates) {
    const status = typeof update.status === 'number' ? STATUS_BY_CODE[update.status] : undefined;
    if (status === undefined || key.fromMe !== true || !key.id || !key.remoteJid) continue;
    out.push({ whatsappId: key.id, chatId: key.remoteJid, status, at: now });
  }
  return out;
}

export function fromReceiptUpdates(updates: readonly MessageUserReceiptUpdate[], now: Date): MessageStatusUpdate[] {
  const out: MessageStatusUpdate[] = [];
  for (const { key, receipt } of updates) {
    // Receipts of our status posts are views (to-story-views.ts), not the post's delivery.
    if (key.fromMe !== true || !key.id || !key.remoteJid || key.remoteJid === 'status@broadcast') continue;
    const played = toNumberOrNull(receipt.playedTimestamp);
    const read = toNumberOrNull(receipt.readTimestamp);
    const delivered = toNumberOrNull(receipt.receiptTimestamp);
    const status: MessageDeliveryStatus | null = played !== null ? 'played' : read !== null ? 'read' : delivered !== null ? 'delivered' : null;
    if (status === null) continue;
    const seconds = played ?? read ?? delivered;
    const participant = preferPhone(receipt.userJid);
    out.push({
      whatsappId: key.id,
      chatId: key.remoteJid,
      status,
      ...(participant !== null ? { participant, participantIdentity: identityOf(receipt.userJid) } : {}),
      at: seconds ? new Date(seconds * 1000) : now,
    });
  }
  return out;
}
