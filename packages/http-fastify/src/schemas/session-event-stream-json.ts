import { EVENT_NAMES, isEventName, type EventName } from '@whatisup/core';
import * as v from 'valibot';
import { ApiError } from '../lib/api-error.js';

/**
 * `GET /v1/events` query. Everything is an optional string here: the stream authenticates itself (it is
 * reachable with an event token), and a value's meaning is checked only once the caller is known.
 */
export const EventStreamQuery = v.object({
  instance_id: v.optional(v.pipe(v.string(), v.maxLength(64), v.description('Only this instance\'s events.'))),
  events: v.optional(
    v.pipe(v.string(), v.maxLength(1000), v.description(`Comma-separated event names to receive (default: all): ${EVENT_NAMES.join(', ')}.`)),
  ),
  token: v.optional(
    v.pipe(v.string(), v.maxLength(2000), v.description('An event token from `POST /v1/event-tokens`, for clients that cannot send headers (EventSource). Never an API key.')),
  ),
  last_event_id: v.optional(
    v.pipe(v.string(), v.maxLength(64), v.description('Resume after this event id; the `Last-Event-ID` header does the same and wins.')),
  ),
});

/** `a,b` → event names; a 400 naming the unknown ones. */
export function parseEventNames(value: string | undefined): EventName[] | null {
  if (value === undefined || value.trim() === '') return null;
  const names = [...new Set(value.split(',').map((name) => name.trim()).filter((name) => name !== ''))];
  const unknown = names.filter((name) => !isEventName(name));
  if (unknown.length > 0) {
    throw new ApiError(400, 'invalid_input', `Invalid request: query.events: unknown event ${unknown.join(', ')}.`, {
      issues: [{ in: 'query', path: 'events', message: `Unknown: ${unknown.join(', ')}. Known: ${EVENT_NAMES.join(', ')}.` }],
    });
  }
  return names as EventName[];
}
