/*
 * Domain outbound content → Baileys' AnyMessageContent, one case per content type. Media travels as a
 * Buffer (Baileys encrypts and uploads it); link previews stay off unless asked for, because generating
 * one makes the server fetch the URL in the text.
 */
import type { MessageReference, OutboundContent } from '@whatisup/core';
import type { AnyMessageContent, WAMessage, WAMessageKey } from '@whiskeysockets/baileys';
import { toWhatsAppJid } from './to-whatsapp-jid.js';

const asBuffer = (data: Uint8Array): Buffer => (Buffer.isBuffer(data) ? data : Buffer.from(data));

/** Throws `InvalidContentError` when the content cannot be expressed (a bad mention or reaction target). */
export class InvalidContentError extends Error {
  override readonly name = 'InvalidContentError';
}

function jidOrThrow(address: string, what: string): string {
  const jid = toWhatsAppJid(address);
  if (jid === null) throw new InvalidContentError(`${what} is not a phone number or JID.`);
  return jid;
}

export function toBaileysMessageKey(ref: MessageReference): WAMessageKey {
  const key: WAMessageKey = { remoteJid: jidOrThrow(ref.chatId, 'The referenced chat'), id: ref.whatsappId, fromMe: ref.fromMe };
  if (ref.participant !== undefined) key.participant = jidOrThrow(ref.participant, 'The referenced participant');
  return key;
}

export function toBaileysContent(content: OutboundContent): AnyMessageContent {
  switch (content.type) {
    case 'text':
      return {
        text: content.text,
        ...(content.linkPreview === true ? {} : { linkPreview: null }),
        ...(content.mentions?.length ? { mentions: content.mentions.map((m) => jidOrThrow(m, 'A mention')) } : {}),
      };
    case 'image':
      return { image: asBuffer(content.media.data), mimetype: content.media.mimeType, ...caption(content.caption), ...viewOnce(content.viewOnce) };
    case 'video':
      return {
        video: asBuffer(content.media.data),
        mimetype: content.media.mimeType,
        ...caption(content.caption),
        ...(content.gifPlayback ? { gifPlayback: true } : {}),
        ...viewOnce(content.viewOnce),
      };
    case 'audio':
      return { audio: asBuffer(content.media.data), mimetype: content.media.mimeType, ptt: content.ptt === true, ...viewOnce(content.viewOnce) };
    case 'document':
      return {
        document: asBuffer(content.media.data),
        mimetype: content.media.mimeType,
        fileName: content.filename,
        ...caption(content.caption),
      };
    case 'sticker':
      return { sticker: asBuffer(content.media.data), mimetype: content.media.mimeType };
    case 'location':
      return {
        location: {
          degreesLatitude: content.latitude,
          degreesLongitude: content.longitude,
          ...(content.name !== undefined ? { name: content.name } : {}),
          ...(content.address !== undefined ? { address: content.address } : {}),
        },
      };
    case 'contact':
      return {
        contacts: {
          ...(content.displayName !== undefined ? { displayName: content.displayName } : {}),
          contacts: [{ ...(content.displayName !== undefined ? { displayName: content.displayName } : {}), vcard: content.vcard }],
        },
      };
    case 'reaction':
      return { react: { text: content.emoji, key: toBaileysMessageKey(content.target) } };
    case 'poll':
      return { poll: { name: content.question, values: [...content.options], selectableCount: content.selectableCount } };
  }
}

const viewOnce = (once: boolean | undefined): { viewOnce?: true } => (once === true ? { viewOnce: true } : {});

const caption = (text: string | undefined): { caption?: string } => (text === undefined ? {} : { caption: text });

/**
 * The message to quote for a reply. Baileys builds the quote from a whole WAMessage; when the original is
 * in the sent-message store its content is quoted, else a text stub (the reference's text, if any).
 */
export function toQuotedMessage(ref: MessageReference, stored: WAMessage['message'] | undefined): WAMessage {
  return { key: toBaileysMessageKey(ref), message: stored ?? { conversation: ref.text ?? '' } };
}
