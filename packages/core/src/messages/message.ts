/*
 * An outbound message: the request an integrator made (staged as JSON, exactly as validated), where it
 * stands (`queued → sent → delivered → read`, or `failed` with a code) and the trail of how it got there.
 * Status only ever moves forward along that order (a late `delivered` receipt never undoes `read`);
 * `failed` is terminal and reachable only from `queued`.
 */
import type * as v from 'valibot';
import type { MessageBodySchema } from './schemas/message-body-schema.js';
import type { SessionAction, StatusPostOptions } from '../sessions/index.js';

export const MESSAGE_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** The send body of `POST /v1/instances/:id/messages`, snake_case as on the wire: what its schema outputs. */
export type MessageBody = v.InferOutput<typeof MessageBodySchema>;

/** A media attachment as the API accepts it: a URL fetched at send time, or inline base64. */
export type MediaSource = Pick<Extract<MessageBody, { type: 'image' }>, 'media_url' | 'media_base64' | 'mime_type'>;

export type MessageBodyType = MessageBody['type'];

/** The stored body of an outbox action (see outbox/outbox-action.ts). */
export interface OutboxActionBody {
  readonly type: 'action';
  readonly action: SessionAction;
}

/** What a row of the outbox carries: a message to send, or an action to perform. */
export type OutboxBody = MessageBody | OutboxActionBody;

export interface MessageError {
  readonly code: string;
  /** Safe to show to the integrator: no secret, no URL query, no stack. */
  readonly message: string;
}

export interface Message {
  readonly id: string;
  readonly customerId: string;
  readonly instanceId: string;
  /** Acceptance order within the instance (assigned by the repository; increasing, not dense). */
  readonly seq: number;
  /** The recipient as a JID (`<digits>@s.whatsapp.net`, `...@g.us`, `...@lid`). */
  readonly recipient: string;
  /** A message to send, or (type `action`, an `act_` id) an action to perform: see outbox-action.ts. */
  readonly body: OutboxBody;
  /** The message this one quotes: a `msg_` id or a WhatsApp id, as the caller gave it. */
  readonly replyTo: string | null;
  readonly clientRef: string | null;
  /** The `msg_` id this message forwards (shown as "Forwarded"); null or absent: not a forward. */
  readonly forwardedFrom?: string | null;
  /** How long "typing…" is shown before it is sent (`typing_ms`); null or absent: not at all. */
  readonly typingMs?: number | null;
  /** A status post (recipient `status@broadcast`): who may see it and how a text post looks; null or absent otherwise. */
  readonly statusPost?: StatusPostOptions | null;
  readonly idempotencyKey: string | null;
  /** SHA-256 of the canonical request: a repeat with the same key must carry the same hash. */
  readonly requestHash: string;
  readonly status: MessageStatus;
  /** WhatsApp's id, set in the same write that makes the message `sent`. */
  readonly whatsappId: string | null;
  readonly error: MessageError | null;
  /** Send attempts that failed in a retryable way (a socket that is merely reconnecting spends none). */
  readonly attemptCount: number;
  /** Not claimable before this (a retry's backoff). */
  readonly nextAttemptAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The W3C trace context of the request that accepted it (its send joins that trace); absent when untraced. */
  readonly traceparent?: string | null;
}

/** A message as staged, before the repository assigns its `seq`. */
export type NewMessage = Omit<Message, 'seq'>;

/** One step of a message's status trail. */
export interface MessageStatusEntry {
  readonly status: MessageStatus;
  readonly at: Date;
  /** The group participant whose receipt advanced the status; null otherwise. */
  readonly participant: string | null;
  /** Set on `failed`. */
  readonly error: MessageError | null;
}

const RANK: Readonly<Record<Exclude<MessageStatus, 'failed'>, number>> = { queued: 0, sent: 1, delivered: 2, read: 3 };

/** Whether a receipt may move a message from `from` to `to` (strictly forward; never out of `failed`). */
export function advancesStatus(from: MessageStatus, to: MessageStatus): boolean {
  if (from === 'failed' || to === 'failed' || to === 'queued') return false;
  return RANK[to] > RANK[from];
}
