/*
 * Turns a staged message into what the session port sends, at send time: media fetched from its URL
 * (through the guarded client, checked again and pinned) or decoded from base64, and the message a reply
 * quotes or a reaction targets looked up (our `msg_` ids become WhatsApp ids; a reference to a message we
 * have not sent yet cannot be resolved). Failures come back classified, never thrown: `retryable` ones
 * (the media host is down) may succeed later; the others never will.
 */
import type { Message, MessageBody } from '../message.js';
import type { MessageReference, OutboundContent, OutboundMedia, SendOptions } from '../../sessions/index.js';
import type { OutboundHttp } from '../../shared/index.js';
import type { MessageRepositories } from '../message-repositories.js';
import { bareMimeType, isMediaBodyType, MEDIA_LIMITS, mimeTypeAllowed, type MediaBodyType } from '../media/media-limits.js';

export type ContentFailure = { readonly ok: false; readonly code: string; readonly message: string; readonly retryable: boolean };
export type ContentResolution =
  | { readonly ok: true; readonly content: OutboundContent; readonly options: SendOptions }
  | ContentFailure;

export interface ResolveContentDeps {
  readonly repos: MessageRepositories;
  readonly outbound: Pick<OutboundHttp, 'download'>;
  readonly downloadTimeoutMs: number;
}

const fail = (code: string, message: string, retryable = false): ContentFailure => ({ ok: false, code, message, retryable });

async function resolveReference(repos: MessageRepositories, message: Message, ref: string): Promise<MessageReference | ContentFailure> {
  if (!ref.startsWith('msg_')) return { whatsappId: ref, chatId: message.recipient, fromMe: false };
  const target = await repos.messages.findById(message.customerId, ref);
  if (target?.whatsappId == null) return fail('reference_unavailable', `Message ${ref} was never sent, so it cannot be referenced.`);
  return { whatsappId: target.whatsappId, chatId: target.recipient, fromMe: true };
}

async function fetchMedia(deps: ResolveContentDeps, type: MediaBodyType, body: MessageBody & { media_url?: string; media_base64?: string; mime_type?: string }): Promise<OutboundMedia | ContentFailure> {
  const limit = MEDIA_LIMITS[type];
  const declared = bareMimeType(body.mime_type);
  if (body.media_base64 !== undefined) return { data: Buffer.from(body.media_base64, 'base64'), mimeType: declared ?? 'application/octet-stream' };
  const result = await deps.outbound.download({ url: body.media_url ?? '', maxBytes: limit.maxBytes, timeoutMs: deps.downloadTimeoutMs });
  switch (result.kind) {
    case 'downloaded': {
      const served = bareMimeType(result.contentType);
      const mimeType = (served === 'application/octet-stream' ? null : served) ?? declared ?? (limit.mimeTypes === null ? 'application/octet-stream' : null);
      if (mimeType === null || !mimeTypeAllowed(type, mimeType)) {
        return fail('unsupported_media_type', `The media_url served ${served ?? 'no content type'}, which a ${type} cannot be.`);
      }
      return { data: result.body, mimeType };
    }
    case 'unsafe_url':
      return fail('unsafe_url', result.message);
    case 'too_large':
      return fail('media_too_large', `The media at media_url is larger than ${limit.maxBytes} bytes, the limit for a ${type}.`);
    case 'http_status': {
      const permanent = result.status >= 300 && result.status < 500 && result.status !== 408 && result.status !== 429;
      return fail('media_unavailable', `Fetching media_url answered HTTP ${result.status}.`, !permanent);
    }
    default:
      return fail('media_unavailable', `Fetching media_url failed: ${result.message}`, true);
  }
}

async function toContent(deps: ResolveContentDeps, message: Message): Promise<OutboundContent | ContentFailure> {
  const body = message.body;
  if (isMediaBodyType(body.type)) {
    const media = await fetchMedia(deps, body.type, body as MessageBody & { media_url?: string });
    if ('ok' in media) return media;
    switch (body.type) {
      case 'image':
        return { type: 'image', media, ...(body.caption !== undefined && { caption: body.caption }), ...(body.view_once === true && { viewOnce: true }) };
      case 'video':
        return {
          type: 'video',
          media,
          ...(body.caption !== undefined && { caption: body.caption }),
          ...(body.gif_playback !== undefined && { gifPlayback: body.gif_playback }),
          ...(body.view_once === true && { viewOnce: true }),
        };
      case 'audio':
        return { type: 'audio', media, ...(body.ptt !== undefined && { ptt: body.ptt }), ...(body.view_once === true && { viewOnce: true }) };
      case 'document':
        return { type: 'document', media, filename: body.filename, ...(body.caption !== undefined && { caption: body.caption }) };
      default:
        return { type: 'sticker', media };
    }
  }
  switch (body.type) {
    case 'text':
      return { type: 'text', text: body.text, linkPreview: body.link_preview ?? false, ...(body.mentions !== undefined && { mentions: body.mentions }) };
    case 'location':
      return { type: 'location', latitude: body.latitude, longitude: body.longitude, ...(body.name !== undefined && { name: body.name }), ...(body.address !== undefined && { address: body.address }) };
    case 'contact':
      return { type: 'contact', vcard: body.vcard, ...(body.display_name !== undefined && { displayName: body.display_name }) };
    case 'reaction': {
      const target = await resolveReference(deps.repos, message, body.message_id);
      return 'ok' in target ? target : { type: 'reaction', emoji: body.emoji, target };
    }
    case 'poll':
      return { type: 'poll', question: body.question, options: body.options, selectableCount: body.selectable_count ?? 1 };
    default:
      return fail('invalid_content', `Unknown body type ${(body as { type: string }).type}.`);
  }
}

/** The content and send options of a staged message, or why they cannot be had (now or ever). */
export async function resolveOutboundContent(deps: ResolveContentDeps, message: Message): Promise<ContentResolution> {
  let options: SendOptions = {};
  if (message.replyTo !== null) {
    const replyTo = await resolveReference(deps.repos, message, message.replyTo);
    if ('ok' in replyTo) return replyTo;
    options = { replyTo };
  }
  if ((message.forwardedFrom ?? null) !== null) options = { ...options, forwarded: true };
  if (message.statusPost != null) options = { ...options, statusPost: message.statusPost };
  const content = await toContent(deps, message);
  return 'ok' in content ? content : { ok: true, content, options };
}
