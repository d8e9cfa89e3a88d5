import type { EventName, PublishedEvent } from '@whatisup/core';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';
import type { SessionTestOptions } from './support/session-test-feature.js';
import { sleep } from '@whatisup/test-infra';
import { openSse, type SseConnection } from './support/sse-client.js';

let subject: TestApp<{ sessions: true }>;
let base: string;
const open: SseConnection[] = [];

async function start(options: SessionTestOptions = {}) {
  subject = await buildTestApp({ sessions: options });
  base = await subject.app.listen({ port: 0, host: '127.0.0.1' });
}

async function stream(path: string, headers: Record<string, string> = {}) {
  const connection = await openSse(base, path, headers);
  open.push(connection);
  return connection;
}

afterEach(async () => {
  open.splice(0).forEach((connection) => connection.close());
  await subject.close();
});

let counter = 0;
function anEvent(customerId: string, instanceId: string | null, event: EventName = 'message.sent', data: object = {}): PublishedEvent {
  counter += 1;
  const envelope = {
    event,
    event_id: `evt_test${String(counter).padStart(6, '0')}`,
    api_version: '2026-04',
    instance_id: instanceId,
    occurred_at: new Date().toISOString(),
    data: { n: counter, ...data },
  };
  return { customerId, envelope, body: JSON.stringify(envelope) };
}

describe('GET /v1/events', () => {
  it('streams a sandbox pairing as qr.updated then instance.connected frames carrying the exact envelope', async () => {
    await start();
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, { kind: 'sandbox' });
    const sse = await stream('/v1/events', auth);
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(sse.headers['x-request-id']).toMatch(/^req_/);

    expect((await subject.post(`/v1/instances/${instance}/connect`, auth)).statusCode).toBe(202);
    await sse.waitFor((c) => c.events().some((f) => f.event === 'qr.updated'));
    expect((await subject.post(`/v1/instances/${instance}/sandbox/scan`, auth)).statusCode).toBe(204);
    await sse.waitFor((c) => c.events().some((f) => f.event === 'instance.connected'));

    const frames = sse.events();
    expect(frames.map((f) => f.event)).toEqual(['qr.updated', 'instance.connected']);
    const published = subject.recorder.recorded.filter((e) => e.envelope.instance_id === instance);
    expect(frames.map((f) => f.data)).toEqual(published.map((e) => e.body));
    expect(frames.map((f) => f.id)).toEqual(published.map((e) => e.envelope.event_id));
    expect(JSON.parse(frames[1]!.data!).data.phone_number).toMatch(/^999\d{10}$/);
    const read = await subject.app.inject({ method: 'GET', url: `/v1/instances/${instance}`, headers: auth });
    expect(read.json().status).toBe('connected');
  });

  it("never sends another customer's events, and a bound key only its instance's", async () => {
    await start();
    const alice = await subject.newCustomer('Alice');
    const bob = await subject.newCustomer('Bob');
    const one = await subject.newInstance(alice.auth, { kind: 'sandbox' });
    const two = await subject.newInstance(alice.auth, { kind: 'sandbox' });
    const bound = await subject.newKey(alice.customerId, one);
    const all = await stream('/v1/events', alice.auth);
    const scoped = await stream('/v1/events', bound.auth);
    const other = await stream('/v1/events', bob.auth);
    subject.publish(anEvent(alice.customerId, one));
    subject.publish(anEvent(alice.customerId, two));
    subject.publish(anEvent(alice.customerId, null));
    subject.publish(anEvent(bob.customerId, null, 'message.read'));
    // Streams keep publish order: once each stream has the last event meant for it, a leaked earlier one would be there too.
    subject.publish(anEvent(alice.customerId, one, 'message.read'));
    await all.waitFor((c) => c.events().some((f) => f.event === 'message.read'));
    await scoped.waitFor((c) => c.events().some((f) => f.event === 'message.read'));
    await other.waitFor((c) => c.events().length >= 1);
    expect(scoped.events().map((f) => JSON.parse(f.data!).instance_id)).toEqual([one, one]);
    expect(other.events().map((f) => f.event)).toEqual(['message.read']);
    expect(all.events()).toHaveLength(4);
  });

  it('filters by instance_id and by events=a,b', async () => {
    await start();
    const { auth, customerId } = await subject.newCustomer();
    const one = await subject.newInstance(auth, { kind: 'sandbox' });
    const two = await subject.newInstance(auth, { kind: 'sandbox' });
    const byInstance = await stream(`/v1/events?instance_id=${two}`, auth);
    const byName = await stream('/v1/events?events=message.read,%20instance.connected', auth);
    subject.publish(anEvent(customerId, one, 'message.read'));
    subject.publish(anEvent(customerId, two, 'message.sent'));
    subject.publish(anEvent(customerId, two, 'instance.connected'));
    await byInstance.waitFor((c) => c.events().length === 2);
    await byName.waitFor((c) => c.events().length === 2);
    expect(byInstance.events().map((f) => f.event)).toEqual(['message.sent', 'instance.connected']);
    expect(byName.events().map((f) => f.event)).toEqual(['message.read', 'instance.connected']);
  });

  it('refuses unknown event names (400), a foreign instance (404) and one outside a bound key (403)', async () => {
    await start();
    const alice = await subject.newCustomer('Alice');
    const bob = await subject.newCustomer('Bob');
    const mine = await subject.newInstance(alice.auth, { kind: 'sandbox' });
    const theirs = await subject.newInstance(bob.auth, { kind: 'sandbox' });
    const bound = await subject.newKey(alice.customerId, await subject.newInstance(alice.auth, { kind: 'sandbox' }));
    const ask = (url: string, headers: Record<string, string>) => subject.app.inject({ method: 'GET', url, headers });
    const unknown = await ask('/v1/events?events=message.sent,nope', alice.auth);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('nope');
    expect((await ask(`/v1/events?instance_id=${theirs}`, alice.auth)).statusCode).toBe(404);
    expect((await ask(`/v1/events?instance_id=${mine}`, bound.auth)).statusCode).toBe(403);
  });

  it('resumes after Last-Event-ID (header or last_event_id query) with only the events missed', async () => {
    await start();
    const { auth, customerId } = await subject.newCustomer();
    const events = [1, 2, 3, 4].map(() => anEvent(customerId, null));
    events.forEach((event) => subject.publish(event));
    const byHeader = await stream('/v1/events', { ...auth, 'last-event-id': events[1]!.envelope.event_id });
    const byQuery = await stream(`/v1/events?last_event_id=${events[2]!.envelope.event_id}`, auth);
    await byHeader.waitFor((c) => c.events().length === 2);
    await byQuery.waitFor((c) => c.events().length === 1);
    const live = anEvent(customerId, null);
    subject.publish(live);
    await byHeader.waitFor((c) => c.events().length === 3);
    expect(byHeader.events().map((f) => f.id)).toEqual([events[2], events[3], live].map((e) => e!.envelope.event_id));
    await byQuery.waitFor((c) => c.events().length === 2);
    expect(byQuery.events().map((f) => f.id)).toEqual([events[3], live].map((e) => e!.envelope.event_id));
  });

  it('says so with a stream.resume_window_exceeded event when Last-Event-ID left the window, then goes on live', async () => {
    await start({ busCapacity: 2 });
    const { auth, customerId } = await subject.newCustomer();
    const first = anEvent(customerId, null);
    [first, anEvent(customerId, null), anEvent(customerId, null)].forEach((event) => subject.publish(event));
    const sse = await stream('/v1/events', { ...auth, 'last-event-id': first.envelope.event_id });
    subject.publish(anEvent(customerId, null));
    await sse.waitFor((c) => c.events().length === 2);
    const [notice, live] = sse.events();
    expect(notice).toMatchObject({ event: 'stream.resume_window_exceeded' });
    expect(notice!.id).toBeUndefined();
    expect(JSON.parse(notice!.data!).last_event_id).toBe(first.envelope.event_id);
    expect(live!.event).toBe('message.sent');
  });

  it('sends a : keepalive comment at the configured interval and a retry hint first', async () => {
    await start({ stream: { keepaliveMs: 30 } });
    const { auth } = await subject.newCustomer();
    const sse = await stream('/v1/events', auth);
    await sse.waitFor((c) => c.frames().filter((f) => f.comments.includes('keepalive')).length >= 2);
    expect(sse.text().startsWith('retry: ')).toBe(true);
  });

  it('drops a client that stops reading once its unread bytes pass the bound', async () => {
    const ends: string[] = [];
    await start({ stream: { maxBufferedBytes: 64 * 1024, onStreamEnd: (reason) => void ends.push(reason) } });
    const { auth, customerId } = await subject.newCustomer();
    const slow = await stream('/v1/events', auth);
    const fast = await stream('/v1/events?events=message.read', auth);
    slow.pause();
    const big = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 200 && !ends.includes('slow_reader'); i++) {
      subject.publish(anEvent(customerId, null, 'message.sent', { big }));
      await sleep(1);
    }
    expect(ends).toContain('slow_reader');
    await slow.ended;
    subject.publish(anEvent(customerId, null, 'message.read'));
    await fast.waitFor((c) => c.events().length === 1);
    expect(fast.isEnded()).toBe(false);
  });

  it('ends every open stream when the server shuts down', async () => {
    await start({ stream: { keepaliveMs: 60_000 } });
    const { auth } = await subject.newCustomer();
    const sse = await stream('/v1/events', auth);
    await subject.close();
    await sse.ended;
    expect(sse.isEnded()).toBe(true);
    subject = await buildTestApp({ sessions: true }); // afterEach closes this one
  });

  it('stops listening to the bus when the client goes away', async () => {
    const ends: string[] = [];
    await start({ stream: { onStreamEnd: (reason) => void ends.push(reason) } });
    const { auth } = await subject.newCustomer();
    const sse = await stream('/v1/events', auth);
    sse.close();
    await expect.poll(() => ends).toEqual(['client_closed']);
  });
});
