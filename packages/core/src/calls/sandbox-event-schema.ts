/*
 * The sandbox's injections other than messages, on the wire: `POST …/sandbox/inbound` with a `kind` makes the
 * simulated phone report a call, the end of one, or a view of a status post (rules: sessions/sandbox-calls.ts).
 * A body without `kind` is a message (messages' SandboxInboundBody).
 */
import * as v from 'valibot';
import { Timestamp } from '../shared/index.js';
import type { CallUpdate, SandboxEventInput, StoryView } from '../sessions/index.js';

const address = (description: string) =>
  v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.description(description), v.metadata({ example: '4915112345678' }));

export const SandboxCallInjection = v.strictObject({
  kind: v.pipe(v.literal('call'), v.description('An incoming call starts ringing: `call.offered`.')),
  from: address('The caller: an MSISDN without + or a person’s JID (a LID hides the number).'),
  is_video: v.optional(v.boolean(), false),
  group_id: v.optional(v.pipe(v.string(), v.maxLength(128), v.description('A group call: the group’s JID (`…@g.us`).'))),
});

export const SandboxCallEndInjection = v.strictObject({
  kind: v.pipe(v.literal('call_end'), v.description('A ringing call ends: `call.terminated`.')),
  call_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  reason: v.pipe(
    v.picklist(['ended', 'missed', 'accepted', 'rejected']),
    v.description('`ended` the caller hung up, `missed` nobody answered, `accepted` answered on the phone, `rejected` declined on the phone.'),
  ),
});

export const SandboxStoryViewInjection = v.strictObject({
  kind: v.pipe(v.literal('story_view'), v.description('Someone opens a status post: `story.viewed`.')),
  from: address('The viewer: an MSISDN without + or a person’s JID.'),
  whatsapp_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.description('The status post’s `whatsapp_id` (`GET /v1/messages/:id`, `message.sent`).')),
  played: v.optional(v.pipe(v.boolean(), v.description('A video or voice post played rather than opened.')), false),
});

export const SandboxEventInjection = v.variant('kind', [SandboxCallInjection, SandboxCallEndInjection, SandboxStoryViewInjection]);
export type SandboxEventInjection = v.InferOutput<typeof SandboxEventInjection>;

const REASONS = { ended: 'ended', missed: 'timeout', accepted: 'accepted', rejected: 'rejected' } as const;

export function toSandboxEventInput(body: SandboxEventInjection): SandboxEventInput {
  switch (body.kind) {
    case 'call':
      return { kind: 'call', from: body.from, isVideo: body.is_video, ...(body.group_id !== undefined && { groupId: body.group_id }) };
    case 'call_end':
      return { kind: 'call_end', callId: body.call_id, reason: REASONS[body.reason] };
    case 'story_view':
      return { kind: 'story_view', from: body.from, whatsappId: body.whatsapp_id, played: body.played };
  }
}

export const InjectedEventJson = v.object({
  kind: v.picklist(['call', 'call_end', 'story_view']),
  call_id: v.pipe(v.nullable(v.string()), v.description('The call’s id (what `…/calls/:call_id/reject` and `call_end` take); null for a view.')),
  whatsapp_id: v.pipe(v.nullable(v.string()), v.description('The viewed status post; null for a call.')),
  from: v.string(),
  at: Timestamp,
});

export type InjectedEventJson = v.InferInput<typeof InjectedEventJson>;

export function toInjectedEventJson(kind: SandboxEventInjection['kind'], reported: CallUpdate | StoryView): InjectedEventJson {
  if ('callId' in reported) {
    return { kind, call_id: reported.callId, whatsapp_id: null, from: reported.author?.phoneNumber ?? reported.from, at: reported.at.toISOString() };
  }
  return { kind, call_id: null, whatsapp_id: reported.whatsappId, from: reported.viewer, at: reported.at.toISOString() };
}
