/*
 * The request of sending a message: `{to, body, client_ref?, reply_to?}` (plus `instance_id` on
 * `POST /v1/messages`) and the `Idempotency-Key` header. `body` is the one message-body schema the sandbox
 * shares (message-body-json.ts), composed here, not copied. Core checks all of it again (decoded media
 * sizes, content types, the recipient's JID form); the schema answers the caller first, with every issue.
 */
import type { IncomingHttpHeaders } from 'node:http';
import * as v from 'valibot';
import { ApiError } from '../lib/api-error.js';
import { MessageBodyJson } from './message-body-json.js';

/** An MSISDN (8-15 digits, no `+`) or a user, group or LID JID; core turns it into the JID it sends to. */
const RECIPIENT = /^(?:[0-9]{8,15}|[0-9]{8,15}(?::[0-9]+)?@s\.whatsapp\.net|[0-9]+(?:-[0-9]+)?@g\.us|[0-9]+(?::[0-9]+)?@lid)$/;

const sendEntries = {
  to: v.pipe(
    v.string(),
    v.regex(RECIPIENT, 'Expected a phone number of 8 to 15 digits without "+", or a JID (…@s.whatsapp.net, …@g.us, …@lid).'),
    v.description('The recipient: an MSISDN without `+` (`4915112345678`) or a JID; `…@g.us` for a group.'),
    v.metadata({ example: '4915112345678' }),
  ),
  body: MessageBodyJson,
  client_ref: v.nullish(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(200),
      v.description('Your reference, unique per instance while the message lives; a repeat is answered like an Idempotency-Key.'),
    ),
  ),
  reply_to: v.nullish(
    v.pipe(v.string(), v.minLength(1), v.maxLength(255), v.description('The message to quote: one of your `msg_` ids or a WhatsApp message id.')),
  ),
};

export const SendMessageBody = v.strictObject(sendEntries);

export const SendMessageWithInstanceBody = v.strictObject({
  instance_id: v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description('The instance that sends it.')),
  ...sendEntries,
});

export type SendMessageBody = v.InferOutput<typeof SendMessageBody>;

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

const IdempotencyKey = v.pipe(
  v.string(),
  v.regex(/^[\x20-\x7E]{1,255}$/, 'Expected 1 to 255 printable ASCII characters.'),
);

/**
 * The `Idempotency-Key` header, or null when absent. The router validates params, query and body only, so
 * the header is checked here, answering 400 `invalid_input` in the same shape as a schema failure.
 */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string | null {
  const value = headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) return null;
  const result = v.safeParse(IdempotencyKey, value);
  if (result.success) return result.output;
  const message = result.issues[0]?.message ?? 'Invalid value.';
  throw new ApiError(400, 'invalid_input', `Invalid request: header Idempotency-Key: ${message}`, {
    issues: [{ in: 'header', path: 'Idempotency-Key', message }],
  });
}
