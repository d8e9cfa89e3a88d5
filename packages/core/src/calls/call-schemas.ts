/* The wire shapes of the call routes. */
import * as v from 'valibot';
import { Timestamp } from '../shared/index.js';
import type { CallRecord } from './call-registry.js';

export const CallParams = v.object({
  id: v.pipe(v.string(), v.maxLength(64)),
  call_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.description("WhatsApp's call id, as `call.offered` carries it.")),
});

export const CallJson = v.object({
  call_id: v.string(),
  from: v.pipe(v.string(), v.description('The caller: their phone number when known, else their LID.')),
  phone_number: v.nullable(v.string()),
  lid: v.nullable(v.string()),
  is_video: v.boolean(),
  is_group: v.boolean(),
  group_id: v.nullable(v.string()),
  status: v.pipe(v.picklist(['ringing', 'ended']), v.description('`ended` once declined, answered, missed or hung up.')),
  reason: v.nullable(v.picklist(['rejected', 'accepted', 'missed', 'ended'])),
  rejected_by: v.nullable(v.picklist(['settings', 'api', 'phone'])),
  offered_at: Timestamp,
  terminated_at: v.nullable(Timestamp),
});

export type CallJson = v.InferInput<typeof CallJson>;

export function toCallJson(call: CallRecord): CallJson {
  return {
    call_id: call.callId,
    from: call.author.phoneNumber ?? call.author.lid ?? call.from,
    phone_number: call.author.phoneNumber,
    lid: call.author.lid,
    is_video: call.isVideo,
    is_group: call.isGroup,
    group_id: call.groupId,
    status: call.state === 'ended' ? 'ended' : 'ringing',
    reason: call.reason,
    rejected_by: call.rejectedBy,
    offered_at: call.offeredAt.toISOString(),
    terminated_at: call.endedAt?.toISOString() ?? null,
  };
}
