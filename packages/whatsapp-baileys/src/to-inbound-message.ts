/*
 * A Baileys WAMessage (from `messages.upsert`) → the domain InboundMessage, or null when it is not an
 * event: status broadcasts, newsletters, broadcast lists, protocol messages, stubs without content.
 * Addresses: WhatsApp increasingly addresses people by LID (`...@lid`) and puts the phone JID, when it
 * may be shown, in `remoteJidAlt`/`participantAlt`; we report the phone number when either side has one.
 */
import type { InboundMessage, MessageReference, PersonIdentity } from '@whatisup/core';
import type { proto, WAMessage } from '@whiskeysockets/baileys';
import { isJidBroadcast, isJidGroup, isJidNewsletter, isLidUser, isPnUser, jidNormalizedUser, normalizeMessageContent } from '@whiskeysockets/baileys';
import { contentKind, contextInfoOf, quotedText, toInboundBody, toNumberOrNull } from './to-inbound-body.js';
import { fromWhatsAppJid, toLidJid, toPhoneNumber } from './to-whatsapp-jid.js';

export interface InboundContext {
  /** Whether a JID (phone or LID) is this instance's own account. */
  readonly isMe: (jid: string) => boolean;
  /** This instance's own phone number (MSISDN), for `from` of messages sent from the phone. */
  readonly ownPhone: () => string | null;
  readonly download: (message: WAMessage) => Promise<Uint8Array>;
  readonly now: () => Date;
}

/** Prefers a phone JID among the candidates; returns its MSISDN, else the (normalised) LID JID. */
export function preferPhone(...candidates: Array<string | null | undefined>): string | null {
  const present = candidates.filter((jid): jid is string => typeof jid === 'string' && jid.length > 0);
  const phone = present.find((jid) => isPnUser(jid));
  if (phone !== undefined) return fromWhatsAppJid(phone);
  const lid = present.find((jid) => isLidUser(jid));
  return lid !== undefined ? jidNormalizedUser(lid) : (present[0] ?? null);
}

/**
 * Who sent the message with this key, in both forms: WhatsApp puts one address in remoteJid/participant and,
 * when it may, the other in the `…Alt` field; either may be the LID. Our own messages name our number.
 */
export function authorOfKey(key: WAMessage['key'], ctx: Pick<InboundContext, 'ownPhone'>): PersonIdentity {
  if (key.fromMe === true) return { phoneNumber: ctx.ownPhone(), lid: null };
  const addresses = isJidGroup(key.remoteJid ?? '') ? [key.participant, key.participantAlt] : [key.remoteJid, key.remoteJidAlt];
  return {
    phoneNumber: addresses.map((jid) => (jid && isPnUser(jid) ? toPhoneNumber(jid) : null)).find((p) => p !== null) ?? null,
    lid: addresses.map((jid) => (jid && isLidUser(jid) ? toLidJid(jid) : null)).find((l) => l !== null) ?? null,
  };
}

export function chatJid(key: WAMessage['key']): string {
  const remote = key.remoteJid ?? '';
  if (isJidGroup(remote)) return remote;
  const phone = [remote, key.remoteJidAlt].find((jid) => jid && isPnUser(jid));
  return jidNormalizedUser(phone ?? remote);
}

export function toInboundMessage(message: WAMessage, ctx: InboundContext): InboundMessage | null {
  const { key } = message;
  const remote = key.remoteJid;
  if (!remote || !key.id || isJidBroadcast(remote) || isJidNewsletter(remote)) return null;
  const content = normalizeMessageContent(message.message);
  const kind = contentKind(content);
  if (!content || kind === null) return null;

  const chatId = chatJid(key);
  const isGroup = isJidGroup(remote) === true;
  const fromMe = key.fromMe === true;
  const sender = isGroup ? preferPhone(key.participant, key.participantAlt) : null;
  const from = fromMe ? (ctx.ownPhone() ?? 'me') : isGroup ? (sender ?? remote) : (preferPhone(remote, key.remoteJidAlt) ?? remote);

  const toReference = (ref: proto.IMessageKey): MessageReference => {
    const participant = preferPhone(ref.participant);
    return {
      whatsappId: ref.id ?? '',
      chatId: ref.remoteJid ? chatJid(ref as WAMessage['key']) : chatId,
      fromMe: ref.fromMe === true,
      ...(participant !== null ? { participant } : {}),
    };
  };

  const context = contextInfoOf(content, kind);
  let replyTo: MessageReference | null = null;
  if (context?.stanzaId) {
    const participant = preferPhone(context.participant);
    const text = quotedText(context.quotedMessage);
    replyTo = {
      whatsappId: context.stanzaId,
      chatId: context.remoteJid ? jidNormalizedUser(context.remoteJid) : chatId,
      fromMe: context.participant ? ctx.isMe(context.participant) : false,
      ...(participant !== null ? { participant } : {}),
      ...(text !== undefined ? { text } : {}),
    };
  }

  const author = authorOfKey(key, ctx);

  const seconds = toNumberOrNull(message.messageTimestamp as number | null | undefined);
  return {
    messageId: key.id,
    from,
    chatId,
    isGroup,
    sender,
    pushName: message.pushName ?? null,
    receivedAt: seconds !== null && seconds > 0 ? new Date(seconds * 1000) : ctx.now(),
    fromMe,
    body: toInboundBody(content, kind, { download: () => ctx.download(message), toReference }),
    replyTo,
    author,
  };
}
