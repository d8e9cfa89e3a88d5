/*
 * The sandbox's inbound injection on the wire: `{from, body, push_name?, sender?}` where `body` is the very
 * schema sending uses (MessageBodySchema) plus what someone can do to an existing message (edit, revoke,
 * poll_vote, played), and the message it answers with. The HTTP edge validates and documents with these
 * schemas and turns the body into a SandboxInboundInput or a SandboxChangeRequest. It lives with messages,
 * not sessions, because it is built on the message body and sessions must not import messages.
 */
import * as v from 'valibot';
import { Timestamp } from '../../shared/index.js';
import { MESSAGE_BODY_TYPES, MESSAGE_BODY_VARIANTS } from './message-body-schema.js';
import { MAX_MESSAGE_REF_LENGTH, MAX_POLL_OPTION_LENGTH, MAX_POLL_OPTIONS, MAX_TEXT_LENGTH } from './message-limits.js';

const address = (description: string) =>
  v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.description(description), v.metadata({ example: '4915112345678' }));

const messageRef = (description: string) => v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_MESSAGE_REF_LENGTH), v.description(description));

/** What the sandbox injects beside the send shapes: someone acting on a message that exists. */
export const SANDBOX_CHANGE_TYPES = ['edit', 'revoke', 'poll_vote', 'played'] as const;

const SandboxBodySchema = v.pipe(
  v.variant('type', [
    ...MESSAGE_BODY_VARIANTS,
    v.strictObject({
      type: v.literal('edit'),
      message_id: messageRef("WhatsApp's id of the message `from` sent earlier in this chat."),
      text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT_LENGTH), v.description('The new text.')),
    }),
    v.strictObject({
      type: v.literal('revoke'),
      message_id: messageRef('The message deleted for everyone: a WhatsApp id, or a `msg_` id of ours (as a group admin may).'),
    }),
    v.strictObject({
      type: v.literal('poll_vote'),
      message_id: messageRef('A poll this instance sent: its `msg_` id or WhatsApp id.'),
      options: v.pipe(
        v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_POLL_OPTION_LENGTH))),
        v.maxLength(MAX_POLL_OPTIONS),
        v.description("The voter's whole choice, by option text; empty withdraws the vote."),
      ),
    }),
    v.strictObject({
      type: v.literal('played'),
      message_id: messageRef('A voice note (audio) this instance sent: its `msg_` id or WhatsApp id.'),
    }),
  ]),
  v.description(
    `What arrives, by \`type\`: a message (${MESSAGE_BODY_TYPES.join(', ')}, as sending takes them; media inline), ` +
      `or something done to an existing message (${SANDBOX_CHANGE_TYPES.join(', ')}).`,
  ),
);

export const SandboxInboundBody = v.strictObject({
  from: address('Who sends it: an MSISDN without + or a JID (a `...@g.us` group needs `sender`).'),
  body: SandboxBodySchema,
  sender: v.optional(address('In a group, the participant who sent it.')),
  push_name: v.optional(v.pipe(v.string(), v.maxLength(100), v.description("The sender's display name."))),
});

export type SandboxInboundBody = v.InferOutput<typeof SandboxInboundBody>;

export const InjectedMessageJson = v.object({
  message_id: v.pipe(
    v.string(),
    v.description(
      "WhatsApp's id of the injected message, as `message.received` carries it; for a reaction, edit, revoke or vote, " +
        "of the message that carried it (`reaction_id` in `message.reaction`); for `played`, of the voice note.",
    ),
  ),
  from: v.string(),
  chat_id: v.pipe(v.string(), v.description('The chat it arrived in, as the event carries it.')),
  received_at: Timestamp,
});

export type InjectedMessageJson = v.InferInput<typeof InjectedMessageJson>;
