import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse-parser.js';

function parse(chunks: readonly string[], lastEventId?: string) {
  const events: SseMessage[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const parser = createSseParser(
    { onEvent: (e) => events.push(e), onRetry: (ms) => retries.push(ms), onComment: (c) => comments.push(c) },
    lastEventId === undefined ? {} : { lastEventId },
  );
  for (const chunk of chunks) parser.feed(chunk);
  return { events, retries, comments, lastEventId: parser.lastEventId };
}

/** Every way of cutting `text` into two chunks, so no boundary is special. */
function everySplit(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, at) => [text.slice(0, at), text.slice(at)]);
}

describe('the event-stream parser', () => {
  it('reads the frames the server writes: id, event and one data line', () => {
    const { events, lastEventId } = parse(['id: evt_1\nevent: message.sent\ndata: {"a":1}\n\n']);
    expect(events).toEqual([{ id: 'evt_1', event: 'message.sent', data: '{"a":1}' }]);
    expect(lastEventId).toBe('evt_1');
  });

  it('gives the same events wherever a chunk boundary falls, including inside CRLF', () => {
    const text = 'id: 1\r\nevent: a\r\ndata: x\r\n\r\n: keepalive\r\nid: 2\rdata: y\r\rdata: z\n\n';
    const whole = parse([text]).events;
    expect(whole).toEqual([
      { id: '1', event: 'a', data: 'x' },
      { id: '2', event: 'message', data: 'y' },
      { id: '2', event: 'message', data: 'z' },
    ]);
    for (const chunks of everySplit(text)) expect(parse(chunks).events).toEqual(whole);
    expect(parse(text.split('')).events).toEqual(whole);
  });

  it('joins several data lines with a newline and keeps a data line that is empty', () => {
    expect(parse(['data: one\ndata:\ndata: three\n\n']).events[0]!.data).toBe('one\n\nthree');
  });

  it('drops one space after the colon only, and reads a field without a colon as empty', () => {
    const { events } = parse(['data:  two spaces\n\n', 'data\n\n']);
    expect(events.map((e) => e.data)).toEqual([' two spaces', '']);
  });

  it('dispatches nothing for a frame without data, and an event type does not leak into the next event', () => {
    const { events } = parse(['event: lonely\n\n', 'data: next\n\n']);
    expect(events).toEqual([{ id: '', event: 'message', data: 'next' }]);
  });

  it('passes comments (keepalives) and ignores unknown fields', () => {
    const { events, comments } = parse([': keepalive\n\nfoo: bar\ndata: x\n\n']);
    expect(comments).toEqual(['keepalive']);
    expect(events).toEqual([{ id: '', event: 'message', data: 'x' }]);
  });

  it('reports retry only when it is all digits', () => {
    expect(parse(['retry: 2500\n\nretry: 1.5\n\nretry: -1\n\nretry: soon\n\n']).retries).toEqual([2500]);
  });

  it('keeps the last id across events, ignores an id holding NULL, and an empty id resets it', () => {
    const { events } = parse(['id: a\ndata: 1\n\n', 'data: 2\n\n', 'id: b\0c\ndata: 3\n\n', 'id\ndata: 4\n\n']);
    expect(events.map((e) => e.id)).toEqual(['a', 'a', 'a', '']);
  });

  it('takes an id as the stream position only once its frame is complete, even a frame without data', () => {
    const open = parse(['data: 1\nid: late']);
    expect(open.lastEventId).toBe('');
    expect(parse(['id: bare\n\n']).lastEventId).toBe('bare');
  });

  it('starts from the id it is given, for a resumed stream', () => {
    expect(parse(['data: x\n\n'], 'evt_9').events[0]!.id).toBe('evt_9');
  });

  it('skips a leading byte order mark, and only a leading one', () => {
    const { events } = parse(['\uFEFFdata: a\n\n', 'data: \uFEFFb\n\n']);
    expect(events.map((e) => e.data)).toEqual(['a', '\uFEFFb']);
  });

  it('discards an event the stream ended in the middle of', () => {
    expect(parse(['data: complete\n\ndata: cut off\n']).events.map((e) => e.data)).toEqual(['complete']);
  });
});
