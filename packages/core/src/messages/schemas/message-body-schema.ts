/*
 * The `body` of a message, as sending takes it (`POST /v1/instances/:id/messages`) and as the sandbox
 * injects it (`POST /v1/instances/:id/sandbox/inbound`): one schema for the HTTP validation, the OpenAPI
 * document and core's own check, so they cannot drift. What a schema cannot say (decoded media sizes,
 * content types per kind, mentions naming people) is checked by parseMessageBody.
 */
import * as v from 'valibot';
import {
  MAX_CAPTION_LENGTH,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_EMOJI_LENGTH,
  MAX_FILENAME_LENGTH,
  MAX_MEDIA_URL_LENGTH,
  MAX_MENTION_LENGTH,
  MAX_MENTIONS,
  MAX_MESSAGE_REF_LENGTH,
  MAX_MIME_TYPE_LENGTH,
  MAX_PLACE_TEXT_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_POLL_OPTION_LENGTH,
  MAX_POLL_OPTIONS,
  MAX_POLL_QUESTION_LENGTH,
  MIN_POLL_OPTIONS,
} from './message-limits.js';

export const MESSAGE_BODY_TYPES = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contact', 'reaction', 'poll'] as const;

/** Standard or URL-safe base64, whitespace allowed; whether it decodes is checked by parseMessageBody. */
export const BASE64_PATTERN = /^[A-Za-z0-9+/_\-\s]*={0,2}\s*$/;

const mediaEntries = {
  media_url: v.optional(
    v.pipe(v.string(), v.url(), v.maxLength(MAX_MEDIA_URL_LENGTH), v.description('An http(s) URL fetched when the message is sent.')),
  ),
  media_base64: v.optional(
    v.pipe(v.string(), v.minLength(1), v.regex(BASE64_PATTERN, 'Expected base64.'), v.description('The file itself, base64; needs `mime_type`.')),
  ),
  mime_type: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, 'Expected a content type such as image/jpeg.'),
      v.maxLength(MAX_MIME_TYPE_LENGTH),
      v.description('Required with `media_base64`; with `media_url`, used when the server sends no usable type.'),
    ),
  ),
};

const caption = v.optional(v.pipe(v.string(), v.maxLength(MAX_CAPTION_LENGTH)));

const viewOnce = v.optional(v.pipe(v.boolean(), v.description('The recipient can open it once; it is not kept in the chat.')));

const poll = v.pipe(
  v.strictObject({
    type: v.literal('poll'),
    question: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_POLL_QUESTION_LENGTH)),
    options: v.pipe(
      v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_POLL_OPTION_LENGTH))),
      v.minLength(MIN_POLL_OPTIONS, `A poll has ${MIN_POLL_OPTIONS} to ${MAX_POLL_OPTIONS} options.`),
      v.maxLength(MAX_POLL_OPTIONS, `A poll has ${MIN_POLL_OPTIONS} to ${MAX_POLL_OPTIONS} options.`),
      v.check((options) => new Set(options).size === options.length, 'Poll options must differ from each other.'),
    ),
    selectable_count: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_POLL_OPTIONS), v.description('How many options a voter may pick; default 1.')),
    ),
  }),
  v.check((body) => (body.selectable_count ?? 1) <= body.options.length, 'selectable_count cannot exceed the number of options.'),
);

type MediaFields = { media_url?: string | undefined; media_base64?: string | undefined; mime_type?: string | undefined };

/** Exactly one of `media_url` and `media_base64`, and a `mime_type` with inline bytes. */
const oneMediaSource = <T extends MediaFields>() =>
  v.check<T, string>(
    (body) => (body.media_url === undefined) !== (body.media_base64 === undefined) && (body.media_base64 === undefined || body.mime_type !== undefined),
    'Give exactly one of media_url and media_base64 (with mime_type).',
  );

const media = <T extends string, E extends v.ObjectEntries>(type: T, entries: E) =>
  v.pipe(v.strictObject({ type: v.literal(type), ...entries, ...mediaEntries }), oneMediaSource());

/** One schema per body type; the sandbox's inbound body adds its own to them. */
export const MESSAGE_BODY_VARIANTS = [
    v.strictObject({
      type: v.literal('text'),
      text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT_LENGTH)),
      link_preview: v.optional(v.pipe(v.boolean(), v.description('Off unless asked: a preview makes the server fetch the link.'))),
      mentions: v.optional(
        v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_MENTION_LENGTH))), v.maxLength(MAX_MENTIONS)),
      ),
    }),
    media('image', { caption, view_once: viewOnce }),
    media('video', { caption, gif_playback: v.optional(v.boolean()), view_once: viewOnce }),
    media('audio', { ptt: v.optional(v.pipe(v.boolean(), v.description('A voice note rather than an audio file.'))), view_once: viewOnce }),
    media('document', { filename: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_FILENAME_LENGTH)), caption }),
    media('sticker', {}),
    v.strictObject({
      type: v.literal('location'),
      latitude: v.pipe(v.number(), v.minValue(-90), v.maxValue(90)),
      longitude: v.pipe(v.number(), v.minValue(-180), v.maxValue(180)),
      name: v.optional(v.pipe(v.string(), v.maxLength(MAX_PLACE_TEXT_LENGTH))),
      address: v.optional(v.pipe(v.string(), v.maxLength(MAX_PLACE_TEXT_LENGTH))),
    }),
    v.strictObject({
      type: v.literal('contact'),
      vcard: v.pipe(
        v.string(),
        v.minLength(1),
        v.maxLength(MAX_TEXT_LENGTH),
        v.check((text) => text.trimStart().toUpperCase().startsWith('BEGIN:VCARD'), 'Expected a vCard (BEGIN:VCARD ... END:VCARD).'),
      ),
      display_name: v.optional(v.pipe(v.string(), v.maxLength(MAX_DISPLAY_NAME_LENGTH))),
    }),
    v.strictObject({
      type: v.literal('reaction'),
      emoji: v.pipe(v.string(), v.maxLength(MAX_EMOJI_LENGTH), v.description('One emoji; empty removes an earlier reaction.')),
      message_id: v.pipe(
        v.string(),
        v.minLength(1),
        v.maxLength(MAX_MESSAGE_REF_LENGTH),
        v.description('A `msg_` id or a WhatsApp message id.'),
      ),
    }),
    poll,
] as const;

export const MessageBodySchema = v.pipe(
  v.variant('type', MESSAGE_BODY_VARIANTS),
  v.description(`What to send, by \`type\`: ${MESSAGE_BODY_TYPES.join(', ')}. Media by \`media_url\` or \`media_base64\` + \`mime_type\`.`),
);
