import type { Message, MessageBody, MessageError, MessageStatus, MessageStatusEntry, NewMessage, StatusPostOptions } from '@whatisup/core';
import type { Insertable, Selectable } from 'kysely';
import type { MessageStatusHistoryTable, MessagesTable } from './database.js';
import { jsonParameter } from './json-parameter.js';

/** Every column a Message is read from except the body (which a list selects without inline media). */
export const MESSAGE_LIST_COLUMNS = [
  'id',
  'customer_id',
  'instance_id',
  'seq',
  'recipient',
  'reply_to',
  'client_ref',
  'typing_ms',
  'forwarded_from',
  'status_post',
  'idempotency_key',
  'request_hash',
  'status',
  'whatsapp_id',
  'error_code',
  'error_message',
  'attempt_count',
  'next_attempt_at',
  'created_at',
  'updated_at',
] as const;

/** The public record of a message row: the claim columns never leave the repository. */
export function toMessage(
  row: Omit<Selectable<MessagesTable>, 'claimed_until' | 'claim_token' | 'traceparent'> & { readonly traceparent?: string | null },
): Message {
  return {
    id: row.id,
    customerId: row.customer_id,
    instanceId: row.instance_id,
    seq: row.seq,
    recipient: row.recipient,
    body: row.body as unknown as MessageBody,
    replyTo: row.reply_to,
    clientRef: row.client_ref,
    typingMs: row.typing_ms,
    forwardedFrom: row.forwarded_from,
    ...(row.status_post != null && { statusPost: row.status_post as unknown as StatusPostOptions }),
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    status: row.status as MessageStatus,
    whatsappId: row.whatsapp_id,
    error: toError(row.error_code, row.error_message),
    attemptCount: row.attempt_count,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    // Only full rows carry it (lists do not select it); absent rather than null keeps records comparable.
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
  };
}

export function toMessageRow(message: NewMessage): Insertable<MessagesTable> {
  return {
    id: message.id,
    customer_id: message.customerId,
    instance_id: message.instanceId,
    recipient: message.recipient,
    body: jsonParameter(message.body, 'body'),
    reply_to: message.replyTo,
    client_ref: message.clientRef,
    typing_ms: message.typingMs ?? null,
    forwarded_from: message.forwardedFrom ?? null,
    status_post: message.statusPost == null ? null : jsonParameter(message.statusPost, 'status_post'),
    idempotency_key: message.idempotencyKey,
    request_hash: message.requestHash,
    status: message.status,
    whatsapp_id: message.whatsappId,
    error_code: message.error?.code ?? null,
    error_message: message.error?.message ?? null,
    attempt_count: message.attemptCount,
    next_attempt_at: message.nextAttemptAt,
    created_at: message.createdAt,
    updated_at: message.updatedAt,
    traceparent: message.traceparent ?? null,
  };
}

export function toStatusEntry(row: Selectable<MessageStatusHistoryTable>): MessageStatusEntry {
  return {
    status: row.status as MessageStatus,
    at: row.at,
    participant: row.participant,
    error: toError(row.error_code, row.error_message),
  };
}

function toError(code: string | null, message: string | null): MessageError | null {
  return code === null ? null : { code, message: message ?? '' };
}
