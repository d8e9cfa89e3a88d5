/* The body of `POST …/sandbox/group-events`: what another person does in a sandbox group (sandbox-groups.ts). */
import * as v from 'valibot';
import type { GroupEvent, SandboxGroupEvent } from '../../sessions/index.js';
import { toGroupJid } from '../group-address.js';
import { GROUP_ID } from './group-schemas.js';

export const SANDBOX_GROUP_EVENT_TYPES = ['added_to_group', 'join_request', 'participant_joined', 'participant_left', 'subject_changed'] as const;

export const SandboxGroupEventBody = v.pipe(
  v.strictObject({
    type: v.pipe(
      v.picklist(SANDBOX_GROUP_EVENT_TYPES, `type is one of ${SANDBOX_GROUP_EVENT_TYPES.join(', ')}.`),
      v.description(
        '`added_to_group`: `participant` creates a group with this number in it; `join_request`: asks to join `group_id`; ' +
          '`participant_joined` / `participant_left`: joins or leaves it; `subject_changed`: renames it to `subject`.',
      ),
    ),
    participant: v.pipe(v.string(), v.maxLength(64), v.description('Who does it: a phone number or a JID.')),
    group_id: v.optional(v.pipe(v.string(), v.regex(GROUP_ID, 'Not a group id.'))),
    subject: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
  }),
  v.check((body) => body.type === 'added_to_group' || body.group_id !== undefined, 'group_id is required for this type.'),
  v.check(
    (body) => (body.type !== 'added_to_group' && body.type !== 'subject_changed') || body.subject !== undefined,
    'subject is required for this type.',
  ),
);

export const SandboxGroupEventJson = v.object({
  kind: v.pipe(v.picklist(['created', 'updated', 'participants', 'join_request']), v.description('What the session reported.')),
  group_id: v.string(),
});

export function toSandboxGroupEvent(body: v.InferOutput<typeof SandboxGroupEventBody>): SandboxGroupEvent {
  const { participant } = body;
  switch (body.type) {
    case 'added_to_group':
      return { type: body.type, participant, subject: body.subject!, ...(body.group_id !== undefined && { groupId: toGroupJid(body.group_id) }) };
    case 'subject_changed':
      return { type: body.type, participant, groupId: toGroupJid(body.group_id!), subject: body.subject! };
    default:
      return { type: body.type, participant, groupId: toGroupJid(body.group_id!) };
  }
}

export const toSandboxGroupEventJson = (event: GroupEvent): v.InferOutput<typeof SandboxGroupEventJson> => ({
  kind: event.kind,
  group_id: event.kind === 'created' ? event.group.id : event.groupId,
});
