/*
 * An outbox action on the wire (`GET /v1/actions/:id`). Its stored status is the outbox's (`queued`, `sent`,
 * `failed`); for an action `sent` means WhatsApp took it, shown as `performed`.
 */
import * as v from 'valibot';
import { Timestamp, idSchema } from '../../shared/index.js';
import type { Message } from '../message.js';
import { isOutboxAction } from '../outbox/outbox-action.js';

export const ACTION_STATUSES = ['queued', 'performed', 'failed'] as const;

export const ActionJson = v.object({
  action_id: idSchema('act', 'Action id, as the 202 returned it.'),
  instance_id: v.string(),
  type: v.pipe(v.string(), v.description('What it does: `block`, `unblock`, `presence`, `subscribe_presence`, `read`, `edit`, `revoke`.')),
  target: v.pipe(v.string(), v.description('The JID the action is about.')),
  status: v.pipe(
    v.picklist(ACTION_STATUSES),
    v.description('`queued` (waiting in the outbox, in order with the sends), `performed` (WhatsApp took it) or `failed` (see `error`; `action.failed` was sent).'),
  ),
  error: v.pipe(v.nullable(v.object({ code: v.string(), message: v.string() })), v.description('Why it failed; null unless `failed`.')),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export type ActionJson = v.InferInput<typeof ActionJson>;

export function toActionJson(action: Message): ActionJson {
  return {
    action_id: action.id,
    instance_id: action.instanceId,
    type: isOutboxAction(action.body) ? action.body.action.type : 'unknown',
    target: action.recipient,
    status: action.status === 'queued' ? 'queued' : action.status === 'failed' ? 'failed' : 'performed',
    error: action.error === null ? null : { code: action.error.code, message: action.error.message },
    created_at: action.createdAt.toISOString(),
    updated_at: action.updatedAt.toISOString(),
  };
}
