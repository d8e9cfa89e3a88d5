/*
 * Posts to the instance's status ("story"): staged as a message to `status@broadcast` in the instance's
 * outbox, so it shares everything that makes sends safe (acceptance order, pacing, claims, retries, the
 * Idempotency-Key and client_ref repeats, media caps and the SSRF check of a media_url). It has a `msg_`
 * id and `message.sent` like any message; who viewed it arrives as `story.viewed`.
 */
import { DomainError, parseWithSchema, type Principal } from '../shared/index.js';
import { findInstanceInScope } from '../instances/index.js';
import {
  checkMediaUrl,
  checkMessageBody,
  IdempotencyKeySchema,
  messageRequestHash,
  findRepeat,
  normalizeRecipient,
  sameRequestOrConflict,
  SENDABLE,
  stageQueuedMessage,
  type Message,
  type SendMessageDeps,
} from '../messages/index.js';
import { STATUS_BROADCAST_JID, type StatusPostOptions } from '../sessions/index.js';
import { StatusPostBody } from './status-post-schema.js';

export type PostStatus = (
  principal: Principal,
  input: { readonly instanceId: string; readonly post: unknown; readonly idempotencyKey?: string | null | undefined },
) => Promise<{ message: Message; created: boolean }>;

/**
 * Throws invalid_input, payload_too_large, unsupported_media_type, unsafe_url, not_found, forbidden,
 * not_connected, idempotency_conflict.
 */
export function createPostStatus({ uow, clock, outboxQueue, outbound, tracing, onWakeError }: SendMessageDeps): PostStatus {
  return async (principal, input) => {
    const request = parseWithSchema(StatusPostBody, input.post);
    const body = checkMessageBody(request.body);
    const audience = [...new Set(request.audience.map((address, i) => normalizeRecipient(address, `audience[${i}]`)))];
    if (audience.some((jid) => jid.endsWith('@g.us'))) {
      throw new DomainError('invalid_input', 'audience names people, not groups.', { field: 'audience' });
    }
    const statusPost: StatusPostOptions = {
      audience,
      ...(request.background_color !== undefined && { backgroundColor: request.background_color.toUpperCase() }),
      ...(request.font !== undefined && { font: request.font }),
    };
    const idempotencyKey =
      input.idempotencyKey == null ? null : parseWithSchema(IdempotencyKeySchema, input.idempotencyKey, 'idempotency_key');
    const clientRef = request.client_ref ?? null;
    const instance = await findInstanceInScope(uow.repos, principal, input.instanceId);
    const requestHash = messageRequestHash({
      instanceId: instance.id,
      recipient: STATUS_BROADCAST_JID,
      body: { body, statusPost },
      clientRef,
      replyTo: null,
    });
    const repeat = await findRepeat(uow.repos, principal, instance.id, idempotencyKey, clientRef);
    if (repeat !== null) return { message: sameRequestOrConflict(repeat, requestHash), created: false };
    if (!SENDABLE.includes(instance.status)) {
      throw new DomainError('not_connected', `The instance is ${instance.status}; it must be connected to post.`, {
        instance_id: instance.id,
        status: instance.status,
      });
    }
    await checkMediaUrl(outbound, body);
    return stageQueuedMessage({ uow, clock, outboxQueue, tracing, onWakeError }, principal, instance.id, {
      recipient: STATUS_BROADCAST_JID,
      body,
      replyTo: null,
      clientRef,
      statusPost,
      idempotencyKey,
      requestHash,
    });
  };
}
