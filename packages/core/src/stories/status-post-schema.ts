/*
 * `POST /v1/instances/:id/status` on the wire: `body` is the very schema sending uses (text, image, video or
 * audio), `audience` who may see the post, and a text post's background and font.
 */
import * as v from 'valibot';
import { MessageBodySchema } from '../messages/index.js';
import { MAX_CLIENT_REF_LENGTH } from '../messages/index.js';

export const MAX_STATUS_AUDIENCE = 1_000;
export const STATUS_BODY_TYPES = ['text', 'image', 'video', 'audio'] as const;

export const StatusPostBody = v.strictObject({
  body: v.pipe(
    MessageBodySchema,
    v.check((body) => (STATUS_BODY_TYPES as readonly string[]).includes(body.type), 'A status post is text, image, video or audio.'),
  ),
  audience: v.pipe(
    v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
    v.minLength(1),
    v.maxLength(MAX_STATUS_AUDIENCE),
    v.description(
      'Who may see the post: phone numbers (no "+") or JIDs. WhatsApp shows a status only to the people it is sent to, ' +
        'so the list is required.',
    ),
    v.metadata({ example: ['4915112345678'] }),
  ),
  background_color: v.optional(
    v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'A colour as #RRGGBB.'), v.description('A text post’s background, `#RRGGBB`.')),
  ),
  font: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(9), v.description('A text post’s font (WhatsApp’s font numbers 0-9).'))),
  client_ref: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_CLIENT_REF_LENGTH))),
});

export type StatusPostBody = v.InferOutput<typeof StatusPostBody>;
