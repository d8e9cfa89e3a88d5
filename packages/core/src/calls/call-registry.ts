/*
 * The calls an instance's session saw lately, kept in the memory of the process that runs the session: a
 * call rings for well under a minute and can only be rejected through the socket that saw it, so nothing
 * about it needs to outlive the process or be visible to another one (a reject request reaches the owner,
 * see README.md). Bounded: per instance the newest `maxPerInstance` calls, and a call is forgotten
 * `keepEndedMs` after it ended (or, if its end was never reported, after it rang). A forgotten call is unknown (404), like one that never rang.
 */
import type { CallUpdate, PersonIdentity } from '../sessions/index.js';

export type CallEndReason = 'rejected' | 'accepted' | 'missed' | 'ended';
export type CallRejectedBy = 'settings' | 'api' | 'phone';

export interface CallRecord {
  readonly callId: string;
  readonly instanceId: string;
  /** The caller as WhatsApp addressed them (what a reject is sent to). */
  readonly from: string;
  readonly author: PersonIdentity;
  readonly groupId: string | null;
  readonly isVideo: boolean;
  readonly isGroup: boolean;
  readonly offeredAt: Date;
  /** `rejecting` while a reject of ours is on its way to WhatsApp. */
  state: 'ringing' | 'rejecting' | 'ended';
  reason: CallEndReason | null;
  rejectedBy: CallRejectedBy | null;
  endedAt: Date | null;
}

export interface CallRegistry {
  /** The instance's call, or null when it never rang here or was forgotten. */
  get(instanceId: string, callId: string): CallRecord | null;
  /** Remembers a call from its first update (an offer, or an end seen without its offer). */
  remember(instanceId: string, call: CallUpdate, now: Date): CallRecord;
  /** Marks the call ended. */
  end(record: CallRecord, reason: CallEndReason, rejectedBy: CallRejectedBy | null, at: Date): void;
  /** Forgets an instance's calls (its session ended for good, or it was deleted). */
  forget(instanceId: string): void;
}

export interface CallRegistryOptions {
  /** Calls kept per instance, newest first. Default 100. */
  readonly maxPerInstance?: number;
  /** How long an ended call is still known (so a late reject is 409, not 404). Default 1 hour. */
  readonly keepEndedMs?: number;
}

export function createCallRegistry(options: CallRegistryOptions = {}): CallRegistry {
  const maxPerInstance = options.maxPerInstance ?? 100;
  const keepEndedMs = options.keepEndedMs ?? 3_600_000;
  const byInstance = new Map<string, Map<string, CallRecord>>();

  function prune(calls: Map<string, CallRecord>, now: Date): void {
    for (const [id, call] of calls) {
      // A call still "ringing" an hour on never reported its end (the session went away meanwhile): forgotten too.
      const since = call.endedAt ?? call.offeredAt;
      if (now.getTime() - since.getTime() > keepEndedMs) calls.delete(id);
    }
    // Oldest first (insertion order).
    for (const id of calls.keys()) {
      if (calls.size <= maxPerInstance) break;
      calls.delete(id);
    }
  }

  return {
    get: (instanceId, callId) => byInstance.get(instanceId)?.get(callId) ?? null,
    remember(instanceId, call, now) {
      let calls = byInstance.get(instanceId);
      if (calls === undefined) byInstance.set(instanceId, (calls = new Map()));
      const record: CallRecord = {
        callId: call.callId,
        instanceId,
        from: call.from,
        author: call.author ?? { phoneNumber: null, lid: null },
        groupId: call.groupId,
        isVideo: call.isVideo,
        isGroup: call.isGroup,
        offeredAt: call.at,
        state: 'ringing',
        reason: null,
        rejectedBy: null,
        endedAt: null,
      };
      calls.set(call.callId, record);
      prune(calls, now);
      return record;
    },
    end(record, reason, rejectedBy, at) {
      record.state = 'ended';
      record.reason = reason;
      record.rejectedBy = rejectedBy;
      record.endedAt = at;
    },
    forget: (instanceId) => void byInstance.delete(instanceId),
  };
}
