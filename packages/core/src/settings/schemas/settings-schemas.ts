/* The wire shapes of `GET|PATCH /v1/instances/:id/settings`, validated at the edge and again in core. */
import * as v from 'valibot';
import { Timestamp } from '../../shared/index.js';
import type { InstanceSettings } from '../instance-settings.js';

export const MAX_CALL_REPLY_TEXT_LENGTH = 4_096;

const entries = {
  reject_calls: v.pipe(v.boolean(), v.description('Decline every incoming call at once (`call.terminated` with `rejected_by: "settings"`).')),
  call_reply_text: v.pipe(
    v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_CALL_REPLY_TEXT_LENGTH))),
    v.description('With `reject_calls`: sent to the caller as a text message after each declined call; null: nothing is sent.'),
  ),
  always_online: v.pipe(v.boolean(), v.description('Keep the account shown online while connected (WhatsApp then sends the phone fewer notifications).')),
  send_read_receipts: v.pipe(v.boolean(), v.description('Mark every inbound message read (blue ticks for the sender) as it arrives.')),
};

export const InstanceSettingsPatchBody = v.pipe(
  v.strictObject({
    reject_calls: v.optional(entries.reject_calls),
    call_reply_text: v.optional(entries.call_reply_text),
    always_online: v.optional(entries.always_online),
    send_read_receipts: v.optional(entries.send_read_receipts),
  }),
  v.check((body) => Object.keys(body).length > 0, 'Give at least one setting to change.'),
);

export type InstanceSettingsPatchBody = v.InferOutput<typeof InstanceSettingsPatchBody>;

export const InstanceSettingsJson = v.object({
  instance_id: v.string(),
  ...entries,
  updated_at: v.pipe(v.nullable(Timestamp), v.description('When a setting was last changed; null while all have their defaults.')),
});

export type InstanceSettingsJson = v.InferInput<typeof InstanceSettingsJson>;

export function toInstanceSettingsJson(instanceId: string, settings: InstanceSettings): InstanceSettingsJson {
  return {
    instance_id: instanceId,
    reject_calls: settings.rejectCalls,
    call_reply_text: settings.callReplyText,
    always_online: settings.alwaysOnline,
    send_read_receipts: settings.sendReadReceipts,
    updated_at: settings.updatedAt?.toISOString() ?? null,
  };
}
