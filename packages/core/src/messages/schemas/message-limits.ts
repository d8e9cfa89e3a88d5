/*
 * The limits of a send request, named once: the body schema, core's checks beyond it and the OpenAPI
 * document all read them from here. Media sizes and content types per kind are in media/media-limits.ts.
 */

/** The longest text WhatsApp takes; a vCard is text too. */
export const MAX_TEXT_LENGTH = 65_536;
export const MAX_CAPTION_LENGTH = 1024;
export const MAX_MEDIA_URL_LENGTH = 2048;
export const MAX_MIME_TYPE_LENGTH = 255;
export const MAX_FILENAME_LENGTH = 255;
export const MAX_MENTIONS = 256;
export const MAX_MENTION_LENGTH = 64;
export const MAX_PLACE_TEXT_LENGTH = 1000;
export const MAX_DISPLAY_NAME_LENGTH = 255;
export const MAX_EMOJI_LENGTH = 32;
/** A `msg_` id or a WhatsApp message id (reply_to, a reaction's message_id). */
export const MAX_MESSAGE_REF_LENGTH = 255;
export const MAX_CLIENT_REF_LENGTH = 200;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The longest `typing_ms` a send may ask for. */
export const MAX_TYPING_MS = 10_000;

/** A poll's options: WhatsApp takes 2 to 12, each up to 100 characters; the question up to 255. */
export const MIN_POLL_OPTIONS = 2;
export const MAX_POLL_OPTIONS = 12;
export const MAX_POLL_OPTION_LENGTH = 100;
export const MAX_POLL_QUESTION_LENGTH = 255;
