/*
 * Messages that arrive on an instance become `message.received` (a reaction becomes `message.reaction`: it is
 * about a message, not one of its own); messages sent from the phone itself become
 * `message.sent` with `from_me: true` (and no `msg_` id of ours: `message_id` is WhatsApp's id there, as in
 * `message.received`). An echo of a message we sent through the API is skipped: it was reported already.
 *
 * Attachments are downloaded EAGERLY, before the event is recorded, into the media store, and
 * the event carries a signed URL. Eagerly because the lazy handle the session gives is tied to the live
 * socket and to WhatsApp's CDN expiry: fetching on first request would fail after a restart or once the
 * CDN dropped the file, at a moment the integrator cannot retry, and the store could not bound its memory
 * by size in advance. The cost is bandwidth for media nobody fetches, bounded by the store's byte cap.
 * A download that fails or is too large still yields the event, with `media_url: null` and `media_error`;
 * so does a store that cannot keep the bytes (an unreachable bucket): `download_failed`, as the bytes
 * could not be made downloadable.
 */
import type { InboundMessage, MessageChange, PersonIdentity, SessionInstance } from '../../sessions/index.js';
import { createMessageChangeHandler, type HandleMessageChange } from './handle-message-change.js';
import type { EventRecorder } from '../../events/index.js';
import type { UnitOfWork } from '../../shared/index.js';
import type { MessageRepositories } from '../message-repositories.js';
import { authorOf, inboundMessageData, type MediaOutcome } from './inbound-event-data.js';
import type { MediaStore, StoredMedia } from '../media/media-store.js';
import { signMediaToken } from '../media/media-token.js';

export interface InboundMessageHandlerDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
  readonly events: EventRecorder;
  readonly media: MediaStore;
  /** The HMAC key of media URLs (from configuration). */
  readonly mediaKey: Uint8Array;
  /** PUBLIC_URL without a trailing slash: media URLs are `${publicUrl}/v1/media/<token>`. */
  readonly publicUrl: string;
  /** Deadline for downloading one attachment. Default 60 s. */
  readonly downloadTimeoutMs?: number;
  /**
   * Completes the author's phone number and LID from what was learnt before (and learns a pair the message
   * names), before `message.received` is recorded. Absent: the event says what the session said.
   */
  readonly identifyAuthor?: (instance: Pick<SessionInstance, 'id' | 'customerId'>, author: PersonIdentity) => Promise<PersonIdentity>;
}

export interface InboundMessageHandler {
  handleInboundMessage(instance: Pick<SessionInstance, 'id' | 'customerId'>, message: InboundMessage): Promise<void>;
  handleOwnMessage(instance: Pick<SessionInstance, 'id' | 'customerId'>, message: InboundMessage): Promise<void>;
  /** A reaction, edit, revoke or poll vote (handle-message-change.ts). */
  handleMessageChange: HandleMessageChange;
}

/** A reaction that reached us as a message (an adapter that does not report it as a change) is one. */
function reactionChange(message: InboundMessage): MessageChange | null {
  if (message.body.type !== 'reaction') return null;
  return {
    kind: 'reaction',
    changeId: message.messageId,
    target: { ...message.body.target, chatId: message.chatId },
    isGroup: message.isGroup,
    fromMe: message.fromMe,
    author: authorOf(message),
    emoji: message.body.emoji,
    at: message.receivedAt,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('download timed out')), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export function createInboundMessageHandler(deps: InboundMessageHandlerDeps): InboundMessageHandler {
  const { uow, events } = deps;
  const downloadTimeoutMs = deps.downloadTimeoutMs ?? 60_000;
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');

  async function keepMedia(instance: Pick<SessionInstance, 'id' | 'customerId'>, message: InboundMessage): Promise<MediaOutcome | undefined> {
    const customerId = instance.customerId;
    if (!('media' in message.body)) return undefined;
    const { media } = message.body;
    // Announced larger than the cache can hold: don't pull the bytes into memory just to refuse them.
    if (media.size !== null && media.size > deps.media.maxBytes) return { error: 'too_large' };
    let data: Uint8Array;
    try {
      data = await withTimeout(media.download(), downloadTimeoutMs);
    } catch {
      return { error: 'download_failed' };
    }
    let stored: StoredMedia | null;
    try {
      stored = await deps.media.put({ customerId, data, mimeType: media.mimeType, filename: media.filename });
    } catch {
      return { error: 'download_failed' };
    }
    if (stored === null) return { error: 'too_large' };
    const token = signMediaToken(deps.mediaKey, {
      customerId,
      instanceId: instance.id,
      mediaId: stored.id,
      expiresAt: stored.expiresAt,
      holder: deps.media.holder,
    });
    return { url: `${publicUrl}/v1/media/${token}` };
  }

  const handleMessageChange = createMessageChangeHandler({
    uow,
    events,
    ...(deps.identifyAuthor !== undefined && { identifyAuthor: deps.identifyAuthor }),
  });

  return {
    handleMessageChange,
    async handleInboundMessage(instance, message) {
      const reaction = reactionChange(message);
      if (reaction !== null) return handleMessageChange(instance, reaction);
      const author = deps.identifyAuthor === undefined ? authorOf(message) : await deps.identifyAuthor(instance, authorOf(message));
      const media = await keepMedia(instance, message);
      await events.recordAlone(uow.repos, {
        customerId: instance.customerId,
        instanceId: instance.id,
        name: 'message.received',
        occurredAt: message.receivedAt,
        data: inboundMessageData(message, media, author),
      });
    },
    async handleOwnMessage(instance, message) {
      if ((await uow.repos.messages.findByWhatsappId(instance.id, message.messageId)) !== null) return;
      const reaction = reactionChange(message);
      if (reaction !== null) return handleMessageChange(instance, reaction);
      const media = await keepMedia(instance, message);
      const { from: _from, ...data } = inboundMessageData(message, media);
      await events.recordAlone(uow.repos, {
        customerId: instance.customerId,
        instanceId: instance.id,
        name: 'message.sent',
        occurredAt: message.receivedAt,
        data: { ...data, whatsapp_id: message.messageId, client_ref: null, to: message.chatId, status: 'sent', from_me: true },
      });
    },
  };
}
