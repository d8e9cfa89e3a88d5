/*
 * Event tokens on the wire: the body that mints one and the token as minted. The HTTP edge validates and
 * documents with these schemas.
 */
import * as v from 'valibot';
import { Timestamp, idSchema } from '../shared/index.js';
import { DEFAULT_EVENT_TOKEN_TTL_SECONDS, MAX_EVENT_TOKEN_TTL_SECONDS } from './mint-event-token.js';

export const CreateEventTokenBody = v.strictObject({
  instance_id: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(64),
      v.description('Only this instance\'s events. Implied (and required) for a key bound to an instance; a pairing link should always set it.'),
    ),
  ),
  ttl_seconds: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.maxValue(MAX_EVENT_TOKEN_TTL_SECONDS),
      v.description(`How long the token works, in seconds; default ${DEFAULT_EVENT_TOKEN_TTL_SECONDS}, at most ${MAX_EVENT_TOKEN_TTL_SECONDS}.`),
    ),
  ),
});

export const EventTokenJson = v.object({
  token: v.pipe(v.string(), v.description('`wiuevt_...`: put it in `?token=`; it reads events only.')),
  expires_at: Timestamp,
  instance_id: v.nullable(idSchema('inst', 'The instance the token is bound to; null: every instance of the customer.')),
});
