/*
 * The request of sending a message: `{to, body, client_ref?, reply_to?, typing_ms?}` (plus `instance_id` on
 * `POST /v1/messages`) and the `Idempotency-Key` header. The HTTP edge validates requests with these
 * schemas and documents them from them; the send-message use case validates its input with the same ones.
 */
import * as v from 'valibot';
import { MessageBodySchema } from './message-body-schema.js';
import { MAX_CLIENT_REF_LENGTH, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_MESSAGE_REF_LENGTH, MAX_TYPING_MS } from './message-limits.js';

/** An MSISDN (8-15 digits, no `+`) or a user, group or LID JID; core turns it into the JID it sends to. */
const RECIPIENT = /^(?:[0-9]{8,15}|[0-9]{8,15}(?::[0-9]+)?@s\.whatsapp\.net|[0-9]+(?:-[0-9]+)?@g\.us|[0-9]+(?::[0-9]+)?@lid)$/;

const sendEntries = {
  to: v.pipe(
    v.string(),
    v.regex(RECIPIENT, 'Expected a phone number of 8 to 15 digits without "+", or a JID (…@s.whatsapp.net, …@g.us, …@lid).'),
    v.description('The recipient: an MSISDN without `+` (`4915112345678`) or a JID; `…@g.us` for a group.'),
    v.metadata({ example: '4915112345678' }),
  ),
  body: MessageBodySchema,
  client_ref: v.nullish(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(MAX_CLIENT_REF_LENGTH),
      v.description('Your reference, unique per instance while the message lives; a repeat is answered like an Idempotency-Key.'),
    ),
  ),
  typing_ms: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.maxValue(MAX_TYPING_MS),
      v.description(`Show "typing…" (or "recording…" before a voice note) in the chat for this long before the message goes out, 0 to ${MAX_TYPING_MS} ms. The request never waits for it.`),
    ),
  ),
  reply_to: v.nullish(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(MAX_MESSAGE_REF_LENGTH),
      v.description('The message to quote: one of your `msg_` ids or a WhatsApp message id.'),
    ),
  ),
};

export const SendMessageBodySchema = v.strictObject(sendEntries);

export const SendMessageWithInstanceBodySchema = v.strictObject({
  instance_id: v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description('The instance that sends it.')),
  ...sendEntries,
});

export type SendMessageBody = v.InferOutput<typeof SendMessageBodySchema>;

/** The `Idempotency-Key` header: 1 to 255 printable ASCII characters. */
export const IdempotencyKeySchema = v.pipe(
  v.string(),
  v.regex(new RegExp(`^[\\x20-\\x7E]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`), `Expected 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters.`),
);
