/*
 * The wire shapes of the group routes, snake_case: request bodies validated at the edge and again in the use
 * cases, and the JSON the routes answer with (the OpenAPI document is built from both).
 */
import * as v from 'valibot';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../shared/index.js';
import { GROUP_PARTICIPANT_ACTIONS, type GroupInfo, type GroupPerson, type JoinRequest, type ParticipantResult } from '../../sessions/index.js';

/** WhatsApp's cap on a group's size; one request may name at most this many people. */
export const MAX_GROUP_PARTICIPANTS = 1024;
export const MAX_GROUP_SUBJECT = 100;
export const MAX_GROUP_DESCRIPTION = 2048;
/** The disappearing-message timers WhatsApp offers: off, 24 hours, 7 days, 90 days. */
export const EPHEMERAL_SECONDS = [0, 86_400, 604_800, 7_776_000] as const;

/** A group JID (`<digits>[-<digits>]@g.us`), or just its digits. */
export const GROUP_ID = /^\d{5,24}(?:-\d{5,14})?(?:@g\.us)?$/;
const PERSON = /^(?:[1-9]\d{7,14}|\d{1,20}(?::\d+)?@(?:s\.whatsapp\.net|lid))$/;

const Person = v.pipe(
  v.string(),
  v.regex(PERSON, 'A participant is a phone number (8-15 digits, no "+"), a phone JID or a LID.'),
  v.description('A phone number (MSISDN, no "+"), a phone JID (…@s.whatsapp.net) or a LID (…@lid).'),
);
const People = v.pipe(
  v.array(Person),
  v.minLength(1, 'Give at least one participant.'),
  v.maxLength(MAX_GROUP_PARTICIPANTS, `At most ${MAX_GROUP_PARTICIPANTS} participants per request.`),
);
const Subject = v.pipe(v.string(), v.trim(), v.minLength(1, 'The subject may not be empty.'), v.maxLength(MAX_GROUP_SUBJECT));
const Description = v.pipe(v.string(), v.maxLength(MAX_GROUP_DESCRIPTION));

export const GroupParams = v.object({
  id: v.pipe(v.string(), v.maxLength(64)),
  group_id: v.pipe(v.string(), v.maxLength(64), v.regex(GROUP_ID, 'Not a group id.'), v.description('The group JID (`…@g.us`) or its digits.')),
});

export const GroupListQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, `Expected an integer from 1 to ${MAX_PAGE_LIMIT}.`),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(MAX_PAGE_LIMIT),
      v.description(`Page size, 1 to ${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}).`),
    ),
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(64), v.description('`next_cursor` of the previous page.'))),
});

export const CreateGroupBody = v.strictObject({
  subject: Subject,
  participants: People,
  description: v.optional(Description),
});

export const UpdateGroupBody = v.pipe(
  v.strictObject({
    subject: v.optional(Subject),
    description: v.optional(v.nullable(Description)),
    announce: v.optional(v.pipe(v.boolean(), v.description('Only admins may send messages.'))),
    locked: v.optional(v.pipe(v.boolean(), v.description('Only admins may edit subject, description and picture.'))),
    ephemeral_seconds: v.optional(
      v.pipe(
        v.picklist(EPHEMERAL_SECONDS, 'ephemeral_seconds is 0, 86400, 604800 or 7776000.'),
        v.description('Disappearing messages: 0 (off), 86400, 604800 or 7776000.'),
      ),
    ),
    join_approval: v.optional(v.pipe(v.boolean(), v.description('Joining by invite needs an admin’s approval.'))),
  }),
  v.check((body) => Object.keys(body).length > 0, 'Give at least one field to change.'),
);

export const GroupPictureBody = v.pipe(
  v.strictObject({
    media_url: v.optional(v.pipe(v.string(), v.maxLength(2048), v.description('An http(s) URL of a JPEG, PNG or WebP image.'))),
    media_base64: v.optional(v.pipe(v.string(), v.description('The image, base64-encoded.'))),
    mime_type: v.optional(v.pipe(v.string(), v.maxLength(100))),
  }),
  v.check((body) => (body.media_url === undefined) !== (body.media_base64 === undefined), 'Give exactly one of media_url and media_base64.'),
);

export const GroupParticipantsBody = v.strictObject({
  action: v.picklist(GROUP_PARTICIPANT_ACTIONS, 'action is add, remove, promote or demote.'),
  participants: People,
});

export const JoinGroupBody = v.strictObject({
  invite: v.pipe(
    v.string(),
    v.maxLength(200),
    v.description('An invite code, or an invite link (`https://chat.whatsapp.com/<code>`).'),
  ),
});

export const JoinRequestsBody = v.strictObject({
  action: v.picklist(['approve', 'reject'], 'action is approve or reject.'),
  participants: People,
});

const PersonJson = v.object({
  jid: v.string(),
  phone_number: v.nullable(v.string()),
  lid: v.nullable(v.string()),
});

const ParticipantJson = v.object({ ...PersonJson.entries, role: v.picklist(['member', 'admin', 'superadmin']) });

export const GroupJson = v.object({
  group_id: v.pipe(v.string(), v.description('The group JID (`…@g.us`).')),
  subject: v.string(),
  description: v.nullable(v.string()),
  owner: v.nullable(PersonJson),
  created_at: v.nullable(v.string()),
  settings: v.object({
    announce: v.boolean(),
    locked: v.boolean(),
    ephemeral_seconds: v.number(),
    join_approval: v.boolean(),
  }),
  size: v.number(),
  participants: v.array(ParticipantJson),
});

export const GroupListJson = v.object({ data: v.array(GroupJson), next_cursor: v.nullable(v.string()) });

export const ParticipantResultJson = v.object({
  jid: v.string(),
  status: v.pipe(
    v.picklist(['added', 'invited', 'removed', 'promoted', 'demoted', 'approved', 'rejected', 'refused']),
    v.description('What happened to this person; `refused` comes with a `reason`.'),
  ),
  reason: v.pipe(
    v.nullable(v.string()),
    v.description('Why WhatsApp refused or only invited: `privacy`, `not_on_whatsapp`, `not_a_participant`, `already_participant`, ...'),
  ),
  code: v.pipe(v.nullable(v.number()), v.description('WhatsApp’s status code for this person (403, 404, 409, ...), when it gave one.')),
});

export const CreatedGroupJson = v.object({
  group_id: v.string(),
  subject: v.string(),
  invite_code: v.nullable(v.string()),
  participants: v.array(ParticipantResultJson),
});

export const ParticipantResultsJson = v.object({ group_id: v.string(), participants: v.array(ParticipantResultJson) });

export const GroupInviteJson = v.object({ group_id: v.string(), invite_code: v.string(), invite_url: v.string() });

export const JoinedGroupJson = v.object({ group_id: v.string() });

export const JoinRequestListJson = v.object({
  data: v.array(v.object({ ...PersonJson.entries, requested_at: v.nullable(v.string()), method: v.nullable(v.string()) })),
});

export const toPersonJson = (person: GroupPerson): v.InferOutput<typeof PersonJson> => ({
  jid: person.jid,
  phone_number: person.phoneNumber,
  lid: person.lid,
});

export const toGroupJson = (group: GroupInfo): v.InferOutput<typeof GroupJson> => ({
  group_id: group.id,
  subject: group.subject,
  description: group.description,
  owner: group.owner === null ? null : toPersonJson(group.owner),
  created_at: group.createdAt?.toISOString() ?? null,
  settings: {
    announce: group.settings.announce,
    locked: group.settings.locked,
    ephemeral_seconds: group.settings.ephemeralSeconds,
    join_approval: group.settings.joinApproval,
  },
  size: group.participants.length,
  participants: group.participants.map((p) => ({ ...toPersonJson(p), role: p.role })),
});

export const toParticipantResultJson = (result: ParticipantResult): v.InferOutput<typeof ParticipantResultJson> => ({
  jid: result.jid,
  status: result.status,
  reason: result.reason,
  code: result.code,
});

export const toJoinRequestJson = (request: JoinRequest) => ({
  ...toPersonJson(request),
  requested_at: request.requestedAt?.toISOString() ?? null,
  method: request.method,
});

export const inviteUrlOf = (code: string): string => `https://chat.whatsapp.com/${code}`;
