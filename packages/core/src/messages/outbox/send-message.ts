/*
 * Accepts a message: validates it, stages it as `queued` and wakes the instance's outbox after the commit.
 * Nothing is sent here (the outbox drainer sends, in acceptance order), so the answer is quick and a crash
 * after the 202 loses nothing: the row is in Postgres and the sweeper re-wakes the outbox.
 *
 * Idempotency: a repeat (same Idempotency-Key for the customer, or same client_ref on the instance) with the
 * same request hash returns the FIRST message (`created: false`) and stages nothing; with another hash it is
 * `idempotency_conflict`. A repeat is answered before the connection check, so retrying a request that was
 * accepted still gets its 202 after the instance went down. Concurrent duplicates are settled by the unique
 * constraints behind `stage`, not by the lookup that precedes it.
 *
 * Media by URL: only the URL is checked here (the SSRF policy, so a private address is refused at once with
 * `unsafe_url`); the bytes are fetched at send time by the drainer. Fetching in the request would hold the
 * caller for up to a 100 MB download and store the bytes in Postgres; at send time the drainer streams them
 * straight to WhatsApp, and the URL is checked again (DNS pinning) when it is fetched.
 */
import {
  DomainError,
  isDomainError,
  isId,
  newId,
  notFound,
  parseWithSchema,
  type Clock,
  type Principal,
  type JobQueue,
  type OutboundHttp,
  type Tracing,
  type UnitOfWork,
} from '../../shared/index.js';
import type { Message, MessageBody, NewMessage } from '../message.js';
import type { MessageRepositories } from '../message-repositories.js';
import type { StageCondition } from '../message-repository.js';
import { normalizeRecipient } from './normalize-recipient.js';
import { outboxJobId } from './outbox-job.js';
import { checkMessageBody } from './parse-message-body.js';
import { IdempotencyKeySchema, SendMessageBodySchema } from '../schemas/send-message-body-schema.js';
import { messageRequestHash } from './request-hash.js';
import { findInstanceInScope, type InstanceStatus } from '../../instances/index.js';

export interface SendMessageDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
  readonly clock: Clock;
  /** The outbox queue: one job per instance, id `outbox:<instanceId>`. */
  readonly outboxQueue: Pick<JobQueue, 'enqueue'>;
  readonly outbound: Pick<OutboundHttp, 'checkUrl'>;
  /** The request's trace context is stored with the message, so its send joins the request's trace. */
  readonly tracing?: Pick<Tracing, 'activeTraceparent'>;
  /** Told when waking the outbox failed after a message was staged (log it; the outbox sweeper re-drives it). */
  readonly onWakeError?: ((error: unknown) => void) | undefined;
}

export interface SendMessageInput {
  readonly instanceId: string;
  readonly to: string;
  /** The send body; validated here with the schema the HTTP edge uses (see parse-message-body.ts). */
  readonly body: unknown;
  readonly clientRef?: string | null | undefined;
  /** A `msg_` id of the customer's, or a WhatsApp message id. */
  readonly replyTo?: string | null | undefined;
  /** The Idempotency-Key header (1-255 printable ASCII characters), scoped to the customer. */
  readonly idempotencyKey?: string | null | undefined;
  /** Show "typing…" this long (0-10,000 ms) before the message goes out. */
  readonly typingMs?: number | null | undefined;
  /** The customer's `msg_` id this message forwards (checked by the forward use case). */
  readonly forwardedFrom?: string | null | undefined;
}

export type SendMessage = (principal: Principal, input: SendMessageInput) => Promise<{ message: Message; created: boolean }>;

/** Statuses an instance accepts new messages in: while it reconnects they wait in the outbox. */
export const SENDABLE: readonly InstanceStatus[] = ['connected', 'reconnecting'];

function notConnected(instanceId: string, status: InstanceStatus): DomainError {
  return new DomainError('not_connected', `The instance is ${status}; it must be connected to send.`, {
    instance_id: instanceId,
    status,
  });
}

/** The request checked with the schemas the HTTP edge validates and documents it with. */
function parseRequest(input: SendMessageInput) {
  const request = parseWithSchema(SendMessageBodySchema, {
    to: input.to,
    body: input.body,
    client_ref: input.clientRef ?? undefined,
    reply_to: input.replyTo ?? undefined,
    typing_ms: input.typingMs ?? undefined,
  });
  const idempotencyKey =
    input.idempotencyKey === undefined || input.idempotencyKey === null
      ? null
      : parseWithSchema(IdempotencyKeySchema, input.idempotencyKey, 'idempotency_key');
  return {
    recipient: normalizeRecipient(request.to),
    body: checkMessageBody(request.body),
    clientRef: request.client_ref ?? null,
    replyTo: request.reply_to ?? null,
    typingMs: request.typing_ms !== undefined && request.typing_ms > 0 ? request.typing_ms : null,
    idempotencyKey,
  };
}

/** The first message of a repeated request, or idempotency_conflict when the repeat asks for something else. */
export function sameRequestOrConflict(existing: Message, requestHash: string): Message {
  if (existing.requestHash !== requestHash) {
    throw new DomainError('idempotency_conflict', 'This idempotency key or client_ref was used for a different request.', {
      message_id: existing.id,
    });
  }
  return existing;
}

/** The message an earlier request with this Idempotency-Key or client_ref staged, or null. */
export async function findRepeat(repos: MessageRepositories, principal: Principal, instanceId: string, key: string | null, ref: string | null) {
  if (key !== null) {
    const byKey = await repos.messages.findByIdempotencyKey(principal.customerId, key);
    if (byKey !== null) return byKey;
  }
  return ref === null ? null : repos.messages.findByClientRef(principal.customerId, instanceId, ref);
}

async function checkReplyTo(repos: MessageRepositories, customerId: string, replyTo: string | null, field: string): Promise<void> {
  if (replyTo === null || !replyTo.startsWith('msg_')) return;
  if (!isId('message', replyTo) || (await repos.messages.findById(customerId, replyTo)) === null) {
    throw new DomainError('invalid_input', `${field} names no message of yours.`, { field });
  }
}

/** Checks a body's media_url against the outbound policy (SSRF), naming the field in the error. */
export async function checkMediaUrl(outbound: SendMessageDeps['outbound'], body: MessageBody): Promise<void> {
  if (!('media_url' in body) || body.media_url === undefined) return;
  try {
    await outbound.checkUrl(body.media_url);
  } catch (error) {
    if (isDomainError(error)) throw new DomainError(error.code, error.message, { ...error.details, field: 'body.media_url' });
    throw error;
  }
}

/**
 * Stages a message. Throws `not_found` (instance absent or another customer's), `forbidden` (key bound to
 * another instance), `invalid_input`, `payload_too_large`, `unsupported_media_type`, `unsafe_url`,
 * `not_connected` (instance neither connected nor reconnecting) and `idempotency_conflict`.
 */
export function createSendMessage({ uow, clock, outboxQueue, outbound, tracing, onWakeError }: SendMessageDeps): SendMessage {
  const staging = { uow, clock, outboxQueue, tracing, onWakeError };

  /** Throws the instance's own error (not_found, forbidden, not_connected), which outranks the body's. */
  async function assertSendable(principal: Principal, instanceId: string): Promise<void> {
    const instance = await findInstanceInScope(uow.repos, principal, instanceId);
    if (!SENDABLE.includes(instance.status)) throw notConnected(instance.id, instance.status);
  }

  return async (principal, input) => {
    const { recipient, body, clientRef, replyTo, typingMs, idempotencyKey } = parseRequest(input);
    const forwardedFrom = input.forwardedFrom ?? null;
    const hashFor = (instanceId: string) =>
      messageRequestHash({
        instanceId,
        recipient,
        body,
        clientRef,
        replyTo,
        ...(typingMs !== null && { typingMs }),
        ...(forwardedFrom !== null && { forwardedFrom }),
      });

    // The common request (no Idempotency-Key, no client_ref, by a key allowed on the instance) reads nothing
    // before its write: the stage itself checks that the instance is the customer's and sendable, in the same
    // statement. A repeat needs the instance read first (it is answered even while the instance is down), so
    // it takes the path below. Errors keep their order: the instance's, when there is one, before the body's.
    if (idempotencyKey === null && clientRef === null && (principal.instanceId === null || principal.instanceId === input.instanceId)) {
      try {
        await checkReplyTo(uow.repos, principal.customerId, replyTo, 'reply_to');
        if (body.type === 'reaction') await checkReplyTo(uow.repos, principal.customerId, body.message_id, 'body.message_id');
        await checkMediaUrl(outbound, body);
      } catch (error) {
        await assertSendable(principal, input.instanceId);
        throw error;
      }
      const fields = { recipient, body, replyTo, clientRef, typingMs, forwardedFrom, idempotencyKey, requestHash: hashFor(input.instanceId) };
      return stageQueuedMessage(staging, principal, input.instanceId, fields, { instanceStatusIn: SENDABLE });
    }

    const instance = await findInstanceInScope(uow.repos, principal, input.instanceId);
    const requestHash = hashFor(instance.id);

    const repeat = await findRepeat(uow.repos, principal, instance.id, idempotencyKey, clientRef);
    if (repeat !== null) return { message: sameRequestOrConflict(repeat, requestHash), created: false };
    if (!SENDABLE.includes(instance.status)) throw notConnected(instance.id, instance.status);
    await checkReplyTo(uow.repos, principal.customerId, replyTo, 'reply_to');
    if (body.type === 'reaction') await checkReplyTo(uow.repos, principal.customerId, body.message_id, 'body.message_id');
    await checkMediaUrl(outbound, body);

    return stageQueuedMessage(staging, principal, instance.id, {
      recipient,
      body,
      replyTo,
      clientRef,
      typingMs,
      forwardedFrom,
      idempotencyKey,
      requestHash,
    });
  };
}

/** What a staged message says beyond the queued state every new message starts in. */
export type QueuedMessageFields = Pick<NewMessage, 'recipient' | 'body' | 'replyTo' | 'clientRef' | 'idempotencyKey' | 'requestHash'> &
  Partial<Pick<NewMessage, 'typingMs' | 'forwardedFrom' | 'statusPost'>>;

/**
 * Stages a checked message `queued` in the instance's outbox and wakes the outbox; a repeat of an earlier
 * request (same Idempotency-Key or client_ref, raced in meanwhile) answers the first message. The one way
 * every send-like use case (messages, status posts) writes its row. With `condition`, the instance is checked
 * by the same write: `not_found` when it is not the customer's, `not_connected` outside the statuses given.
 */
export async function stageQueuedMessage(
  { uow, clock, outboxQueue, tracing, onWakeError }: Pick<SendMessageDeps, 'uow' | 'clock' | 'outboxQueue' | 'tracing' | 'onWakeError'>,
  principal: Principal,
  instanceId: string,
  fields: QueuedMessageFields,
  condition?: StageCondition,
): Promise<{ message: Message; created: boolean }> {
  const now = clock.now();
  // No transaction of ours: `stage` is atomic on its own (one statement in Postgres), and BEGIN and COMMIT
  // would be two more round trips per accepted message.
  const message: NewMessage = {
    id: newId('message', now.getTime()),
    customerId: principal.customerId,
    instanceId,
    ...fields,
    status: 'queued',
    whatsappId: null,
    error: null,
    attemptCount: 0,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
    traceparent: tracing?.activeTraceparent() ?? null,
  };
  const result = condition === undefined ? await uow.repos.messages.stage(message) : await uow.repos.messages.stageIfInstance(message, condition);
  if (result.outcome === 'instance_unavailable') {
    if (result.status === null) throw notFound('instance', instanceId);
    throw notConnected(instanceId, result.status);
  }
  if (result.outcome === 'duplicate') return { message: sameRequestOrConflict(result.existing, fields.requestHash), created: false };
  // Committed: a lost wake-up (Redis down) is the outbox sweeper's to redo, never the caller's error.
  await outboxQueue
    .enqueue([{ id: outboxJobId(instanceId), data: { customerId: principal.customerId } }])
    .catch((error: unknown) => onWakeError?.(error));
  return { message: result.message, created: true };
}
