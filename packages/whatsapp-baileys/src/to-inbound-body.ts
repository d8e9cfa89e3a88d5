/*
 * The content of a Baileys message (already unwrapped from ephemeral/view-once envelopes) → the domain
 * inbound body. Media is not downloaded here: the body carries a `download()` handle.
 */
import type { InboundBody, InboundMedia, MessageReference } from '@whatisup/core';
import type { proto } from '@whiskeysockets/baileys';
import { getContentType } from '@whiskeysockets/baileys';

/** Message kinds that never become events: key distribution, protocol (revoke, history sync, ...), metadata. */
const SILENT_KINDS = new Set(['protocolMessage', 'senderKeyDistributionMessage', 'messageContextInfo']);

export interface BodyContext {
  /** Fetches the media of the message being mapped. */
  readonly download: () => Promise<Uint8Array>;
  /** A WhatsApp key as a domain reference (used for reaction targets). */
  readonly toReference: (key: proto.IMessageKey) => MessageReference;
}

type LongLike = number | { toNumber(): number } | null | undefined;

export const toNumberOrNull = (value: LongLike): number | null =>
  value === null || value === undefined ? null : typeof value === 'number' ? value : value.toNumber();

const text = (value: string | null | undefined): string | null => (value ? value : null);

/** The kind of content (Baileys' key, e.g. `imageMessage`), or null when the message is not an event. */
export function contentKind(content: proto.IMessage | null | undefined): string | null {
  const kind = getContentType(content ?? undefined);
  return kind === undefined || SILENT_KINDS.has(kind) ? null : kind;
}

function media(
  source: { mimetype?: string | null; fileLength?: LongLike; fileName?: string | null },
  fallbackMime: string,
  ctx: BodyContext,
): InboundMedia {
  return {
    mimeType: source.mimetype || fallbackMime,
    size: toNumberOrNull(source.fileLength),
    filename: text(source.fileName),
    download: ctx.download,
  };
}

export function toInboundBody(content: proto.IMessage, kind: string, ctx: BodyContext): InboundBody {
  switch (kind) {
    case 'conversation':
      return { type: 'text', text: content.conversation ?? '' };
    case 'extendedTextMessage':
      return { type: 'text', text: content.extendedTextMessage?.text ?? '' };
    case 'imageMessage': {
      const m = content.imageMessage!;
      return { type: 'image', media: media(m, 'image/jpeg', ctx), caption: text(m.caption) };
    }
    case 'videoMessage':
    case 'ptvMessage': {
      const m = (content.videoMessage ?? content.ptvMessage)!;
      return { type: 'video', media: media(m, 'video/mp4', ctx), caption: text(m.caption) };
    }
    case 'audioMessage': {
      const m = content.audioMessage!;
      return { type: 'audio', media: media(m, 'audio/ogg', ctx), ptt: m.ptt === true };
    }
    case 'documentMessage': {
      const m = content.documentMessage!;
      return { type: 'document', media: media(m, 'application/octet-stream', ctx), caption: text(m.caption) };
    }
    case 'stickerMessage':
      return { type: 'sticker', media: media(content.stickerMessage!, 'image/webp', ctx) };
    case 'locationMessage':
    case 'liveLocationMessage': {
      const m = (content.locationMessage ?? content.liveLocationMessage)! as proto.Message.ILocationMessage;
      return {
        type: 'location',
        latitude: m.degreesLatitude ?? 0,
        longitude: m.degreesLongitude ?? 0,
        name: text(m.name),
        address: text(m.address),
      };
    }
    case 'contactMessage':
      return { type: 'contact', displayName: text(content.contactMessage?.displayName), vcard: content.contactMessage?.vcard ?? '' };
    case 'contactsArrayMessage': {
      // Several contacts in one message: the domain body carries one, so the first is reported.
      const first = content.contactsArrayMessage?.contacts?.[0];
      return { type: 'contact', displayName: text(first?.displayName), vcard: first?.vcard ?? '' };
    }
    case 'reactionMessage': {
      const m = content.reactionMessage!;
      return { type: 'reaction', emoji: m.text ?? '', target: ctx.toReference(m.key ?? {}) };
    }
    default:
      return { type: 'unsupported', kind };
  }
}

/** The quoted-message context of whichever inner message carries one. */
export function contextInfoOf(content: proto.IMessage, kind: string): proto.IContextInfo | null {
  const inner = (content as Record<string, unknown>)[kind] as { contextInfo?: proto.IContextInfo | null } | undefined;
  return inner && typeof inner === 'object' ? (inner.contextInfo ?? null) : null;
}

/** A short text of a quoted message, for the reply context. */
export function quotedText(message: proto.IMessage | null | undefined): string | undefined {
  if (!message) return undefined;
  return (
    message.conversation ??
    message.extendedTextMessage?.text ??
    message.imageMessage?.caption ??
    message.videoMessage?.caption ??
    message.documentMessage?.caption ??
    undefined
  ) || undefined;
}
