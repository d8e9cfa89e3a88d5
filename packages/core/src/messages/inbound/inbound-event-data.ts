/*
 * The `data` of `message.received` (and of `message.sent` with `from_me` for messages sent from the phone),
 * snake_case as on the wire. Media is never inlined: a media body carries `media_url` (a signed proxy URL,
 * or null with `media_error` when the bytes could not be kept) plus mime type, size and filename.
 */
import type { InboundBodyPayload, InboundMessagePayload, MessageReferencePayload } from '../../events/index.js';
import type { InboundBody, InboundMessage, MessageReference, PersonIdentity } from '../../sessions/index.js';

/** What became of an attachment's bytes. */
export type MediaOutcome = { readonly url: string } | { readonly error: 'too_large' | 'download_failed' };

export function referenceData(ref: MessageReference): MessageReferencePayload {
  return {
    message_id: ref.whatsappId,
    chat_id: ref.chatId,
    from_me: ref.fromMe,
    participant: ref.participant ?? null,
    ...(ref.text !== undefined && { text: ref.text }),
  };
}

type MediaPayload = Pick<Extract<InboundBodyPayload, { type: 'sticker' }>, 'media_url' | 'media_error' | 'mime_type' | 'size' | 'filename'>;

function mediaData(body: Extract<InboundBody, { media: unknown }>, outcome: MediaOutcome | undefined): MediaPayload {
  return {
    media_url: outcome !== undefined && 'url' in outcome ? outcome.url : null,
    ...(outcome !== undefined && 'error' in outcome && { media_error: outcome.error }),
    mime_type: body.media.mimeType,
    size: body.media.size,
    filename: body.media.filename,
  };
}

export function inboundBodyData(body: InboundBody, media?: MediaOutcome): InboundBodyPayload {
  switch (body.type) {
    case 'text':
      return { type: 'text', text: body.text };
    case 'image':
    case 'video':
    case 'document':
      return { type: body.type, ...mediaData(body, media), caption: body.caption };
    case 'audio':
      return { type: 'audio', ...mediaData(body, media), ptt: body.ptt };
    case 'sticker':
      return { type: 'sticker', ...mediaData(body, media) };
    case 'location':
      return { type: 'location', latitude: body.latitude, longitude: body.longitude, name: body.name, address: body.address };
    case 'contact':
      return { type: 'contact', display_name: body.displayName, vcard: body.vcard };
    case 'reaction':
      return { type: 'reaction', emoji: body.emoji, target: referenceData(body.target) };
    case 'unsupported':
      return { type: 'unsupported', kind: body.kind };
  }
}

/**
 * The author's two addresses as the session told them, else as far as `from`/`sender` say: an MSISDN is the
 * phone number, a `…@lid` the LID.
 */
export function authorOf(message: InboundMessage): PersonIdentity {
  if (message.author !== undefined) return message.author;
  const address = message.sender ?? message.from;
  if (/^[0-9]+@lid$/.test(address)) return { phoneNumber: null, lid: address };
  return /^[1-9][0-9]{7,14}$/.test(address) ? { phoneNumber: address, lid: null } : { phoneNumber: null, lid: null };
}

export function inboundMessageData(message: InboundMessage, media?: MediaOutcome, author: PersonIdentity = authorOf(message)): InboundMessagePayload {
  return {
    message_id: message.messageId,
    from: message.from,
    chat_id: message.chatId,
    is_group: message.isGroup,
    sender: message.sender,
    push_name: message.pushName,
    received_at: message.receivedAt.toISOString(),
    body: inboundBodyData(message.body, media),
    reply_to: message.replyTo === null ? null : referenceData(message.replyTo),
    author: { phone_number: author.phoneNumber, lid: author.lid },
  };
}
