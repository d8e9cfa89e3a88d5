/*
 * The stream's reconnection rules, driven through an injected fetch whose bodies the test ends at will. The
 * same behaviour against the real server is in test/client-works-against-a-real-server.int.test.ts.
 */
import { until } from '@whatisup/test-infra';
import { describe, expect, it } from 'vitest';
import { createTransport } from '../http/transport.js';
import { EventStream, type StreamItem } from './event-stream.js';

interface Connection {
  readonly headers: Headers;
  push(text: string): void;
  drop(): void;
}

function server(answers: Array<'stream' | Response>) {
  const connections: Connection[] = [];
  let notify: (() => void) | null = null;
  const fetch = (async (_url: string, init: RequestInit) => {
    const answer = answers.shift() ?? 'stream';
    if (answer instanceof Response) return answer;
    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    init.signal?.addEventListener('abort', () => controller.error(init.signal!.reason));
    connections.push({
      headers: new Headers(init.headers),
      push: (text) => controller.enqueue(encoder.encode(text)),
      drop: () => controller.close(),
    });
    notify?.();
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }) as unknown as typeof globalThis.fetch;
  const connection = async (index: number): Promise<Connection> => {
    while (connections.length <= index) await new Promise<void>((resolve) => (notify = resolve));
    return connections[index]!;
  };
  return { fetch, connection };
}

const frame = (id: string, name = 'message.read') =>
  `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify({ event: name, event_id: id, api_version: '2026-04', instance_id: null, occurred_at: '2026-05-01T00:00:00.000Z', data: {} })}\n\n`;

async function take(iterator: AsyncIterator<StreamItem>, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const next = await iterator.next();
    if (next.done) break;
    ids.push(next.value.event_id ?? next.value.event);
  }
  return ids;
}

describe('the event stream', () => {
  it('reconnects after a drop with Last-Event-ID, waiting the retry the server asked for', async () => {
    const { fetch, connection } = server(['stream', 'stream']);
    const stream = new EventStream(createTransport({ baseUrl: 'http://api.test', apiKey: 'wiu_k', fetch }), { events: ['message.read'] });
    const iterator = stream[Symbol.asyncIterator]();
    const first = take(iterator, 2);
    const one = await connection(0);
    expect(one.headers.get('last-event-id')).toBeNull();
    expect(one.headers.get('authorization')).toBe('Bearer wiu_k');
    one.push('retry: 0\n\n' + frame('evt_1') + frame('evt_2'));
    expect(await first).toEqual(['evt_1', 'evt_2']);
    one.drop();

    const next = take(iterator, 1);
    const two = await connection(1);
    expect(two.headers.get('last-event-id')).toBe('evt_2');
    two.push(frame('evt_3'));
    expect(await next).toEqual(['evt_3']);
    expect(stream.lastEventId).toBe('evt_3');
    stream.close();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('backs off and retries a refused reconnect (503), then resumes', async () => {
    const unavailable = new Response(JSON.stringify({ error: { code: 'unavailable', message: 'later' }, request_id: 'req_1' }), {
      status: 503,
      headers: { 'retry-after': '0' },
    });
    const { fetch, connection } = server([unavailable, 'stream']);
    const stream = new EventStream(createTransport({ baseUrl: 'http://api.test', fetch }), { lastEventId: 'evt_9' });
    const iterator = stream[Symbol.asyncIterator]();
    const first = take(iterator, 1);
    const open = await connection(0);
    expect(open.headers.get('last-event-id')).toBe('evt_9');
    open.push(frame('evt_10'));
    expect(await first).toEqual(['evt_10']);
    stream.close();
  });

  it('yields the resume-window notice without moving the resume position', async () => {
    const { fetch, connection } = server(['stream']);
    const stream = new EventStream(createTransport({ baseUrl: 'http://api.test', fetch }), { lastEventId: 'evt_old' });
    const iterator = stream[Symbol.asyncIterator]();
    const items = take(iterator, 2);
    (await connection(0)).push(`event: stream.resume_window_exceeded\ndata: {"last_event_id":"evt_old","message":"gone"}\n\n${frame('evt_new')}`);
    expect(await items).toEqual(['stream.resume_window_exceeded', 'evt_new']);
    stream.close();
  });

  it('ends with the error of a refusal that retrying cannot fix, and quietly on abort', async () => {
    const refused = new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'no' }, request_id: 'req_2' }), { status: 401 });
    const failing = new EventStream(createTransport({ baseUrl: 'http://api.test', fetch: server([refused]).fetch }));
    await expect(failing[Symbol.asyncIterator]().next()).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });

    const { fetch, connection } = server(['stream']);
    const controller = new AbortController();
    const stream = new EventStream(createTransport({ baseUrl: 'http://api.test', fetch }), { signal: controller.signal });
    const seen: string[] = [];
    const loop = (async () => {
      for await (const item of stream) seen.push(item.event_id ?? '');
    })();
    (await connection(0)).push(frame('evt_1'));
    await until(() => seen.length > 0);
    controller.abort();
    await expect(loop).resolves.toBeUndefined();
    expect(seen).toEqual(['evt_1']);
  });

  it('ends at the first drop when reconnecting is off', async () => {
    const { fetch, connection } = server(['stream']);
    const stream = new EventStream(createTransport({ baseUrl: 'http://api.test', fetch }), { reconnect: false });
    const iterator = stream[Symbol.asyncIterator]();
    const items = take(iterator, 5);
    const open = await connection(0);
    open.push(frame('evt_1'));
    open.drop();
    expect(await items).toEqual(['evt_1']);
  });
});
