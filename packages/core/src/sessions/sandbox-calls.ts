/*
 * The simulated phone's calls and status views: what an integrator injects (`POST …/sandbox/inbound` with
 * `kind` `call`, `call_end` or `story_view`) turned into the session events a real phone produces. Part of
 * the sandbox port's contract, shared by the sandbox adapter and core's fake, so both answer alike
 * (docs/api.md, "Sandbox rules"):
 *
 * - An injected call rings (`offer`) until the instance rejects it, or a `call_end` injection ends it
 *   (`ended` the caller hung up, `timeout` missed, `accepted` answered on the phone, `rejected` declined on
 *   the phone). The sandbox never ends a call on its own.
 * - Its id is `SBXCALL` + 16 upper-case hex digits; its caller is named by phone number and LID
 *   (sandbox-directory.ts), or by LID alone when injected from a LID.
 * - Rejecting a call that is not ringing changes nothing (as WhatsApp ignores a late reject).
 * - A status post is `sent` and nothing more; views arrive only by `story_view` injections.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../shared/index.js';
import type { CallUpdate, CallUpdateStatus, PersonIdentity, StoryView } from './whatsapp-content.js';
import { isWhatsAppAddress, toChatJid } from './whatsapp-address.js';
import { sandboxLidOf } from './sandbox-directory.js';

/** Something other than a message an integrator makes the simulated phone report. */
export type SandboxEventInput =
  | { readonly kind: 'call'; readonly from: string; readonly isVideo: boolean; readonly groupId?: string | undefined }
  | { readonly kind: 'call_end'; readonly callId: string; readonly reason: Exclude<CallUpdateStatus, 'offer'> }
  | { readonly kind: 'story_view'; readonly from: string; readonly whatsappId: string; readonly played: boolean };

export const sandboxCallId = (): string => `SBXCALL${randomBytes(8).toString('hex').toUpperCase()}`;

export interface SandboxCalls {
  /**
   * The event an injection produces. Throws DomainError `invalid_input` (a malformed address or group id),
   * `not_found` (a `call_end` of a call that is not ringing).
   */
  inject(input: SandboxEventInput, now: Date): CallUpdate | StoryView;
  /** The instance rejected a call: true when it was ringing (and now is not). */
  reject(callId: string): boolean;
}

export function createSandboxCalls(): SandboxCalls {
  const ringing = new Map<string, CallUpdate>();
  return {
    inject(input, now) {
      switch (input.kind) {
        case 'call': {
          if (!isWhatsAppAddress(input.from) || input.from.endsWith('@g.us')) throw invalid('from', 'an MSISDN or a person’s JID');
          if (input.groupId !== undefined && !/^[\d-]+@g\.us$/.test(input.groupId)) throw invalid('group_id', 'a group JID (…@g.us)');
          const author = authorOf(input.from);
          const call: CallUpdate = {
            callId: sandboxCallId(),
            from: toChatJid(input.from),
            ...(author !== undefined && { author }),
            groupId: input.groupId ?? null,
            isVideo: input.isVideo,
            isGroup: input.groupId !== undefined,
            status: 'offer',
            at: now,
          };
          ringing.set(call.callId, call);
          return call;
        }
        case 'call_end': {
          const call = ringing.get(input.callId);
          if (call === undefined) throw new DomainError('not_found', `No ringing sandbox call with id ${input.callId}.`, { call_id: input.callId });
          ringing.delete(input.callId);
          return { ...call, status: input.reason, at: now };
        }
        case 'story_view': {
          if (!isWhatsAppAddress(input.from) || input.from.endsWith('@g.us')) throw invalid('from', 'an MSISDN or a person’s JID');
          const author = authorOf(input.from);
          return {
            whatsappId: input.whatsappId,
            viewer: author?.phoneNumber ?? input.from,
            ...(author !== undefined && { author }),
            kind: input.played ? 'played' : 'read',
            at: now,
          };
        }
      }
    },
    reject: (callId) => ringing.delete(callId),
  };
}

/** Both addresses by the sandbox's rules: a phone number comes with its LID, a LID alone. */
function authorOf(address: string): PersonIdentity | undefined {
  const lid = /^(\d+)(?::\d+)?@lid$/.exec(address);
  if (lid !== null) return { phoneNumber: null, lid: `${lid[1]}@lid` };
  const phone = /^(\d+)(?::\d+)?(?:@s\.whatsapp\.net)?$/.exec(address);
  return phone === null ? undefined : { phoneNumber: phone[1]!, lid: sandboxLidOf(phone[1]!) };
}

const invalid = (field: string, what: string): DomainError =>
  new DomainError('invalid_input', `${field} must be ${what}.`, { field });
