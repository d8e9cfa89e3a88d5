/* The `data` of the `group.*` events (see groups/handle-group-event.ts). */
import * as v from 'valibot';

const Person = v.object({
  jid: v.pipe(v.string(), v.description('The JID WhatsApp used for them (phone JID or LID).')),
  phone_number: v.pipe(v.nullable(v.string()), v.description('Their MSISDN, when known.')),
  lid: v.pipe(v.nullable(v.string()), v.description('Their LID, when known.')),
});

const GroupId = v.pipe(v.string(), v.description('The group JID (`…@g.us`).'));
const Author = v.pipe(v.nullable(Person), v.description('Who did it (this number for changes made through the API), when WhatsApp tells it.'));
const participantsPayload = v.object({ group_id: GroupId, participants: v.array(Person), author: Author });

export const GROUP_EVENT_PAYLOAD_SCHEMAS = {
  'group.created': v.object({
    group_id: GroupId,
    subject: v.string(),
    description: v.nullable(v.string()),
    owner: v.nullable(Person),
    participants: v.array(v.object({ ...Person.entries, role: v.picklist(['member', 'admin', 'superadmin']) })),
    author: Author,
  }),
  'group.updated': v.object({
    group_id: GroupId,
    changes: v.pipe(
      v.object({
        subject: v.optional(v.string()),
        description: v.optional(v.nullable(v.string())),
        announce: v.optional(v.boolean()),
        locked: v.optional(v.boolean()),
        ephemeral_seconds: v.optional(v.number()),
        join_approval: v.optional(v.boolean()),
        invite_rotated: v.optional(v.literal(true)),
      }),
      v.description('Only what changed. `invite_rotated`: the invite link was replaced (the old one no longer works).'),
    ),
    author: Author,
  }),
  'group.participant_added': participantsPayload,
  'group.participant_removed': participantsPayload,
  'group.admin_promoted': participantsPayload,
  'group.admin_demoted': participantsPayload,
  'group.join_requested': v.object({
    group_id: GroupId,
    participant: Person,
    method: v.pipe(v.nullable(v.string()), v.description('`invite_link`, `linked_group_join`, `non_admin_add`, or null.')),
    author: Author,
  }),
};
