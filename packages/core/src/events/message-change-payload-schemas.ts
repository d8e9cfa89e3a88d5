/*
 * The `data` of the events about something done to a message that already exists: `message.edited`,
 * `message.revoked`, `message.reaction` and `poll.vote`. They share one frame: `message_id` is our `msg_`
 * id when the message is one the instance sent through the API (else null), `whatsapp_id` WhatsApp's id
 * of it, `from_me` whether this instance's own account did it (through the API or from the phone), and
 * the person who did it by both addresses.
 */
import * as v from 'valibot';
import { PersonPayloadSchema } from './inbound-message-payload-schema.js';

const ownId = v.pipe(v.nullable(v.string()), v.description('Our `msg_` id when the instance sent the message through the API; else null.'));

/** The keys every change event carries; `what` completes "WhatsApp's id of the ... message". */
export const changeEntries = (what: string) => ({
  message_id: ownId,
  whatsapp_id: v.pipe(v.string(), v.description(`WhatsApp's id of the ${what} message.`)),
  chat_id: v.string(),
  is_group: v.optional(v.boolean()),
  from_me: v.pipe(v.boolean(), v.description("True when the instance's own account did it (through the API or from the phone).")),
  author: v.optional(
    v.pipe(
      v.nullable(PersonPayloadSchema),
      v.description('Who did it, by phone number and LID as far as known; null for what the API did on your behalf.'),
    ),
  ),
});

export const MessageReactionPayloadSchema = v.object({
  ...changeEntries('reacted-to'),
  is_group: v.boolean(),
  author: PersonPayloadSchema,
  reaction_id: v.pipe(v.string(), v.description("WhatsApp's id of the reaction itself.")),
  emoji: v.pipe(v.string(), v.description('The reaction; empty when the author removed their reaction.')),
  target_from_me: v.pipe(v.boolean(), v.description('True when the reacted-to message is one this instance sent.')),
  reacted_at: v.string(),
});

export const PollVotePayloadSchema = v.object({
  message_id: ownId,
  whatsapp_id: v.pipe(v.string(), v.description("WhatsApp's id of the poll.")),
  chat_id: v.string(),
  is_group: v.boolean(),
  from_me: v.pipe(v.boolean(), v.description("True when the instance's own account voted (from the phone).")),
  voter: PersonPayloadSchema,
  selected_options: v.pipe(
    v.array(v.string()),
    v.description("The voter's whole current choice, by option text; empty when they withdrew their vote."),
  ),
  voted_at: v.string(),
});
