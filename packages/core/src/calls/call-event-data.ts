/* The `data` of `call.offered` / `call.terminated` and the API's view of a call, from a registry record. */
import type { EventPayloads } from '../events/index.js';
import type { CallRecord } from './call-registry.js';

export function offeredData(call: CallRecord): EventPayloads['call.offered'] {
  return {
    call_id: call.callId,
    from: call.author.phoneNumber ?? call.author.lid ?? call.from,
    phone_number: call.author.phoneNumber,
    lid: call.author.lid,
    is_video: call.isVideo,
    is_group: call.isGroup,
    group_id: call.groupId,
    offered_at: call.offeredAt.toISOString(),
  };
}

export function terminatedData(call: CallRecord): EventPayloads['call.terminated'] {
  return {
    ...offeredData(call),
    reason: call.reason ?? 'ended',
    rejected_by: call.rejectedBy,
    terminated_at: (call.endedAt ?? call.offeredAt).toISOString(),
  };
}
