/*
 * An outbox action: a change of WhatsApp state that is not a message (block a contact, ...), staged in the
 * instance's outbox beside the sends. It is a row of the message repository with a body of type `action`, so
 * it shares everything that makes sends safe: one acceptance order per instance (an action staged after a
 * send is performed after it), the claim that lets one worker at a time act, `Idempotency-Key` repeats, and
 * retries while the socket is down. It has an `act_` id, no WhatsApp id and no receipts; it is never listed
 * as a message. Performed, it is `sent`; refused by WhatsApp, `failed` with `action.failed`.
 */
import type { OutboxActionBody, OutboxBody } from '../message.js';

export type { OutboxActionBody, OutboxBody };

export const isOutboxAction = (body: OutboxBody): body is OutboxActionBody => body.type === 'action';
