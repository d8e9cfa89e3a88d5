/*
 * Server-sent event frames (WHATWG HTML, "Server-sent events"). An event carries its `event_id` as `id:`
 * (the browser sends it back as Last-Event-ID when it reconnects), its name as `event:`, and the exact
 * serialised envelope (the bytes webhooks sign) as one `data:` line: the envelope JSON has no raw newline.
 */
import type { PublishedEvent } from '@whatisup/core';

export function eventFrame(event: PublishedEvent): string {
  return `id: ${event.envelope.event_id}\nevent: ${event.envelope.event}\ndata: ${event.body}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies and load balancers from closing an idle stream. */
export function commentFrame(text: string): string {
  return `: ${text}\n\n`;
}

/** How long a browser waits before reconnecting after the stream drops. */
export function retryFrame(ms: number): string {
  return `retry: ${ms}\n\n`;
}

/**
 * The stream's own notice, outside the event catalogue and without an `id:` (so the client's Last-Event-ID
 * is kept). Sent when a resume cannot be exact: the client should re-read state over the REST API.
 */
export const RESUME_WINDOW_EXCEEDED = 'stream.resume_window_exceeded';

export function resumeWindowExceededFrame(lastEventId: string): string {
  const data = JSON.stringify({
    last_event_id: lastEventId,
    message: 'That event is no longer in the recent window; events may have been missed. Re-read state over the REST API.',
  });
  return `event: ${RESUME_WINDOW_EXCEEDED}\ndata: ${data}\n\n`;
}
