/*
 * Turns what an integrator injects into a sandbox instance (the same content shapes as sending, media as
 * bytes + mime type) into the InboundMessage the Baileys adapter would produce for it, so everything
 * downstream (message.received, media URLs) cannot tell the sandbox from a phone. Part of the sandbox
 * port's contract (`SandboxSession.injectInbound`), so every implementation answers alike.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../shared/index.js';
import type { SandboxInboundInput } from './sandbox-session.js';
import type { InboundBody, InboundMedia, InboundMessage, OutboundContent, OutboundMedia } from './whatsapp-content.js';
import { isWhatsAppAddress, toChatJid } from './whatsapp-address.js';
import { sandboxLidOf } from './sandbox-directory.js';

/** A WhatsApp-style message id (Baileys' ids are 3EB0 + upper-case hex). */
export const sandboxMessageId = (): string => `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;

/** Throws DomainError('invalid_input') for a malformed `from` or `sender`. */
export function toSandboxInboundMessage(input: SandboxInboundInput, receivedAt: Date): InboundMessage {
  if (!isWhatsAppAddress(input.from)) throw invalidAddress('from');
  const chatId = toChatJid(input.from);
  const isGroup = chatId.endsWith('@g.us');
  if (isGroup && (input.sender === undefined || !isWhatsAppAddress(input.sender))) throw invalidAddress('sender');
  const sender = isGroup ? (input.sender ?? null) : null;
  return {
    messageId: sandboxMessageId(),
    from: sender ?? input.from,
    chatId,
    isGroup,
    sender,
    pushName: input.pushName ?? null,
    receivedAt,
    fromMe: false,
    body: toInboundBody(input.content),
    replyTo: input.replyTo ?? null,
    author: authorOf(sender ?? input.from),
  };
}

/**
 * Both addresses of the sender by the sandbox's rules: a phone number comes with its LID; a LID comes
 * alone (the phone number behind it is learnt a moment later, as with a real phone).
 */
function authorOf(address: string): InboundMessage['author'] {
  const lid = /^(\d+)(?::\d+)?@lid$/.exec(address);
  if (lid !== null) return { phoneNumber: null, lid: `${lid[1]}@lid` };
  const phone = /^(\d+)(?::\d+)?(?:@s\.whatsapp\.net)?$/.exec(address);
  return phone === null ? undefined : { phoneNumber: phone[1]!, lid: sandboxLidOf(phone[1]!) };
}

function toInboundBody(content: OutboundContent): InboundBody {
  switch (content.type) {
    case 'text':
      return { type: 'text', text: content.text };
    case 'image':
    case 'video':
      return { type: content.type, media: inboundMedia(content.media), caption: content.caption ?? null };
    case 'audio':
      return { type: 'audio', media: inboundMedia(content.media), ptt: content.ptt ?? false };
    case 'document':
      return { type: 'document', media: inboundMedia(content.media, content.filename), caption: content.caption ?? null };
    case 'sticker':
      return { type: 'sticker', media: inboundMedia(content.media) };
    case 'location':
      return {
        type: 'location',
        latitude: content.latitude,
        longitude: content.longitude,
        name: content.name ?? null,
        address: content.address ?? null,
      };
    case 'contact':
      return { type: 'contact', displayName: content.displayName ?? null, vcard: content.vcard };
    case 'reaction':
      return { type: 'reaction', emoji: content.emoji, target: content.target };
    case 'poll':
      // As a phone maps a poll someone else created: not (yet) a body of its own.
      return { type: 'unsupported', kind: 'poll' };
  }
}

function inboundMedia(media: OutboundMedia, filename: string | null = null): InboundMedia {
  const bytes = Uint8Array.from(media.data);
  return { mimeType: media.mimeType, size: bytes.byteLength, filename, download: async () => bytes };
}

const invalidAddress = (field: string): DomainError =>
  new DomainError('invalid_input', `${field} must be an MSISDN (8-15 digits, no +) or a WhatsApp JID.`, { field });
