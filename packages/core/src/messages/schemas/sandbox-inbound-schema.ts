/*
 * The sandbox's inbound injection on the wire: `{from, body, push_name?, sender?}` where `body` is the very
 * schema sending uses (MessageBodySchema), and the message it answers with. The HTTP edge validates and
 * documents with these schemas and turns the body into a SandboxInboundInput. It lives with messages, not
 * sessions, because it is built on the message body and sessions must not import messages.
 */
import * as v from 'valibot';
import { Timestamp } from '../../shared/index.js';
import { MessageBodySchema } from './message-body-schema.js';

const address = (description: string) =>
  v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.description(description), v.metadata({ example: '4915112345678' }));

export const SandboxInboundBody = v.strictObject({
  from: address('Who sends it: an MSISDN without + or a JID (a `...@g.us` group needs `sender`).'),
  body: MessageBodySchema,
  sender: v.optional(address('In a group, the participant who sent it.')),
  push_name: v.optional(v.pipe(v.string(), v.maxLength(100), v.description("The sender's display name."))),
});

export type SandboxInboundBody = v.InferOutput<typeof SandboxInboundBody>;

export const InjectedMessageJson = v.object({
  message_id: v.pipe(v.string(), v.description("WhatsApp's id of the injected message, as `message.received` carries it.")),
  from: v.string(),
  chat_id: v.pipe(v.string(), v.description('The chat it arrived in, as `message.received` carries it.')),
  received_at: Timestamp,
});

export type InjectedMessageJson = v.InferInput<typeof InjectedMessageJson>;
