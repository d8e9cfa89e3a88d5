/*
 * The client against the real server process (real Postgres and Redis): every method group, the typed
 * errors, cursor iteration, idempotent sends and their retries, the event stream with its resume, and webhook
 * verification of a delivery a local receiver got, and the conversation operations on a sandbox instance (its
 * contacts answer by fixed rules, docs/api.md "Sandbox instances"). The server runs with its documented defaults except that
 * sandbox instances pair themselves quickly and loopback webhook URLs are allowed.
 */
import { until } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROUTES,
  WhatIsUpClient,
  WhatIsUpConnectionError,
  WhatIsUpError,
  isWhatIsUpError,
  type MessageStatus,
  type StreamItem,
} from '../src/index.js';
import { verifyWebhook, WebhookVerificationError } from '../src/webhooks/index.js';
import { collect, isEventOf, openStream } from './support/collect-stream.js';
import { startCuttableProxy } from './support/cuttable-proxy.js';
import { startRealServer, type RealServer } from './support/real-server.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

let server: RealServer;
let receiver: WebhookReceiver;
let client: WhatIsUpClient;
let instanceId: string;

async function connectedSandbox(name: string): Promise<string> {
  const instance = await client.instances.create({ name, kind: 'sandbox' });
  await client.instances.connect(instance.id);
  await waitForStatus(instance.id, 'connected');
  return instance.id;
}

async function waitForStatus(id: string, status: string): Promise<void> {
  let seen = '';
  await until(async () => (seen = (await client.instances.get(id)).status) === status, {
    timeoutMs: 20_000,
    intervalMs: 50,
    message: () => `instance ${id} is ${seen}, not ${status}`,
  });
}

async function waitForMessage(id: string, status: MessageStatus): Promise<void> {
  let seen = '';
  await until(async () => (seen = (await client.messages.get(id)).status) === status, {
    timeoutMs: 20_000,
    intervalMs: 50,
    message: () => `message ${id} is ${seen}, not ${status}`,
  });
}

async function thrown(promise: Promise<unknown>): Promise<WhatIsUpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WhatIsUpError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const text = (t: string) => ({ type: 'text' as const, text: t });

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startRealServer('client');
  client = new WhatIsUpClient({ baseUrl: server.url, apiKey: server.apiKey });
  instanceId = await connectedSandbox('main');
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

describe('the route table', () => {
  it('has a client route for every operation of the server’s OpenAPI document, and no other', async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    const document = (await response.json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    const served = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.entries(operations).map(([method, op]) => `${op.operationId} ${method.toUpperCase()} ${path}`))
      .sort();
    const known = Object.entries(ROUTES)
      .map(([operationId, route]) => `${operationId} ${route.method} ${route.path}`)
      .sort();
    expect(known).toEqual(served);
  });
});

describe('instances', () => {
  it('creates, lists, reads, pairs, restarts, logs out and deletes a sandbox instance', async () => {
    const created = await client.instances.create({ name: 'lifecycle', kind: 'sandbox', metadata: { team: 'support' } });
    expect(created).toMatchObject({ name: 'lifecycle', kind: 'sandbox', status: 'pending', metadata: { team: 'support' } });
    expect(await client.instances.list().toArray()).toContainEqual(expect.objectContaining({ id: created.id }));

    // Connect, then complete the pairing by hand rather than waiting for the automatic scan.
    const connecting = await client.instances.connect(created.id);
    expect(['connecting', 'qr_required', 'connected']).toContain(connecting.status);
    const qr = await client.instances.qr(created.id).catch((error: unknown) => error);
    if (!isWhatIsUpError(qr, 'no_qr')) expect(qr).toMatchObject({ qr: expect.any(String), png_data_url: expect.stringMatching(/^data:image\/png;base64,/) });
    await client.instances.sandbox.scan(created.id).catch((error: unknown) => {
      // It may have paired on its own first; then scanning is a state conflict, not a failure of the client.
      if (!isWhatIsUpError(error) || error.status !== 409) throw error;
    });
    await waitForStatus(created.id, 'connected');
    expect(await client.instances.get(created.id)).toMatchObject({ status: 'connected', phone_number: expect.stringMatching(/^999/) });

    expect((await client.instances.restart(created.id)).id).toBe(created.id);
    await waitForStatus(created.id, 'connected');
    expect(await client.instances.logout(created.id)).toMatchObject({ status: 'disconnected' });

    const deleted = await client.instances.delete(created.id);
    expect(deleted).toMatchObject({ status: 'disconnected', status_reason: 'deleted', deleted_at: expect.any(String) });
    expect((await thrown(client.instances.get(created.id))).code).toBe('not_found');
  });

  it('asks for a pairing code for a phone number', async () => {
    const created = await client.instances.create({ name: 'pair-code', kind: 'sandbox' });
    const code = await client.instances.pairCode(created.id, { phone_number: '4915112345678' });
    expect(code.code).toMatch(/^[A-Z0-9]{8}$/);
    await client.instances.delete(created.id);
  });
});

describe('messages', () => {
  it('sends once for two sends with the same Idempotency-Key, and answers the repeat with the first answer', async () => {
    const first = await client.messages.send(instanceId, { to: '4915112345678', body: text('once') }, { idempotencyKey: 'order-7-confirmation' });
    const again = await client.messages.send(instanceId, { to: '4915112345678', body: text('once') }, { idempotencyKey: 'order-7-confirmation' });
    expect(first).toMatchObject({ message_id: expect.stringMatching(/^msg_/), status: 'queued', idempotencyKey: 'order-7-confirmation', replayed: false });
    expect(again).toMatchObject({ message_id: first.message_id, replayed: true });

    // A generated key is a fresh UUID per call: two calls are two messages.
    const generated = await client.messages.send({ instance_id: instanceId, to: '4915112345678', body: text('twice') });
    expect(generated.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect((await client.messages.send(instanceId, { to: '4915112345678', body: text('twice') })).message_id).not.toBe(generated.message_id);
  });

  it('retries a send whose answer was lost with the same key, so the message exists once', async () => {
    const keys: string[] = [];
    let dropped = false;
    const flaky = new WhatIsUpClient({
      baseUrl: server.url,
      apiKey: server.apiKey,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === 'POST') keys.push(new Headers(init.headers).get('idempotency-key') ?? '');
        if (init?.method === 'POST' && !dropped) {
          // The server accepted the message; the answer is lost on the way back.
          dropped = true;
          await response.body?.cancel();
          throw new TypeError('fetch failed: socket hang up');
        }
        return response;
      },
    });
    const sent = await flaky.messages.send(instanceId, { to: '4915112345678', body: text('lost answer'), client_ref: 'lost-answer' });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(sent).toMatchObject({ idempotencyKey: keys[0], replayed: true });
    const mine = (await client.messages.list({ instance_id: instanceId }).toArray()).filter((m) => m.client_ref === 'lost-answer');
    expect(mine.map((m) => m.id)).toEqual([sent.message_id]);
  });

  it('iterates a list over several pages, newest first, and reads one message with its trail', async () => {
    const listed = await client.instances.create({ name: 'paged', kind: 'sandbox' });
    await client.instances.connect(listed.id);
    await waitForStatus(listed.id, 'connected');
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push((await client.messages.send(listed.id, { to: '4915112345678', body: text(`page ${i}`) })).message_id);

    const pages = [];
    for await (const page of client.messages.list({ instance_id: listed.id, limit: 2 }).pages()) pages.push(page);
    expect(pages.map((p) => p.data.length)).toEqual([2, 2, 1]);
    const ids: string[] = [];
    for await (const message of client.messages.list({ instance_id: listed.id, limit: 2 })) ids.push(message.id);
    expect(ids).toEqual([...sent].reverse());

    const first = await client.messages.listPage({ instance_id: listed.id, limit: 2 });
    const second = await client.messages.listPage({ instance_id: listed.id, limit: 2, cursor: first.next_cursor! });
    expect(second.data.map((m) => m.id)).toEqual(ids.slice(2, 4));

    await waitForMessage(sent[0]!, 'read');
    const detail = await client.messages.get(sent[0]!);
    expect(detail.history.map((h) => h.status)).toEqual(['queued', 'sent', 'delivered', 'read']);
  });
});

describe('conversation operations on a sandbox instance', () => {
  it('checks numbers, finds the number behind a LID, sets presence and edits a sent message', async () => {
    // On the sandbox a number ending in 0 is not on WhatsApp, and a LID is its number's digits reversed.
    expect(await client.contacts.check(instanceId, { phone_numbers: ['4915112345671', '4915112345670'] })).toEqual({
      data: [
        { input: '4915112345671', exists: true, jid: '4915112345671@s.whatsapp.net', lid: '1765432115194@lid' },
        { input: '4915112345670', exists: false, jid: null, lid: null },
      ],
    });
    expect(await client.lids.get(instanceId, '8765432115194@lid')).toEqual({ lid: '8765432115194@lid', phone_number: '4915112345678' });

    // An outbox action carries an Idempotency-Key like a send: the same key is answered with the first answer.
    const typing = await client.presence.set(instanceId, { state: 'typing', chat_id: '4915112345678' }, { idempotencyKey: 'typing-1' });
    expect(typing).toEqual({ action_id: expect.stringMatching(/^act_/), status: 'queued', idempotencyKey: 'typing-1', replayed: false });
    const again = await client.presence.set(instanceId, { state: 'typing', chat_id: '4915112345678' }, { idempotencyKey: 'typing-1' });
    expect(again).toMatchObject({ action_id: typing.action_id, replayed: true });

    const collected = await openStream(client, { instance_id: instanceId, events: ['message.sent', 'message.edited'] });
    try {
      const sent = await client.messages.send(instanceId, { to: '4915112345678', body: text('Helo') });
      await collected.waitFor((item) => isEventOf(item, 'message.sent', sent.message_id), `message.sent of ${sent.message_id}`);
      const edit = await client.messages.edit(sent.message_id, { text: 'Hello' });
      expect(edit).toMatchObject({ action_id: expect.stringMatching(/^act_/), status: 'queued', idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/), replayed: false });
      const edited = await collected.waitFor((item) => isEventOf(item, 'message.edited', sent.message_id), `message.edited of ${sent.message_id}`);
      expect(edited.data).toMatchObject({ message_id: sent.message_id, from_me: true, text: 'Hello' });
      // The action that did it has its own status route.
      expect(await client.actions.get(edit.action_id)).toMatchObject({ action_id: edit.action_id, type: 'edit', status: 'performed', error: null });
    } finally {
      collected.stream.close();
      await collected.ended;
    }
  });
});

describe('calls, instance settings and status posts on a sandbox instance', () => {
  it('changes settings, declines a call, posts a status and sees it viewed', async () => {
    expect(await client.instanceSettings.get(instanceId)).toMatchObject({ instance_id: instanceId, reject_calls: false, updated_at: null });
    const settings = await client.instanceSettings.update(instanceId, { always_online: true });
    expect(settings).toMatchObject({ always_online: true, reject_calls: false, updated_at: expect.any(String) });

    const collected = await openStream(client, { instance_id: instanceId, events: ['call.terminated', 'message.sent', 'story.viewed'] });
    try {
      const call = await client.instances.sandbox.event(instanceId, { kind: 'call', from: '4915112345678' });
      expect(call).toMatchObject({ kind: 'call', call_id: expect.stringMatching(/^SBXCALL/), from: '4915112345678' });
      const rejected = await client.calls.reject(instanceId, call.call_id!);
      expect(rejected).toMatchObject({ call_id: call.call_id, status: 'ended', reason: 'rejected', rejected_by: 'api' });
      expect(await thrown(client.calls.reject(instanceId, call.call_id!))).toMatchObject({ status: 409, code: 'conflict' });
      expect(await thrown(client.calls.reject(instanceId, 'NOSUCHCALL'))).toMatchObject({ status: 404 });

      const posted = await client.statusPosts.post(instanceId, { body: text('Open today'), audience: ['4915112345678'] }, { idempotencyKey: 'status-1' });
      expect(posted).toMatchObject({ message_id: expect.stringMatching(/^msg_/), status: 'queued', replayed: false });
      const sent = await collected.waitFor((item) => isEventOf(item, 'message.sent', posted.message_id), `message.sent of ${posted.message_id}`);
      await client.instances.sandbox.event(instanceId, { kind: 'story_view', from: '4915112345678', whatsapp_id: String((sent.data as { whatsapp_id?: unknown }).whatsapp_id) });
      const viewed = await collected.waitFor((item) => item.event === 'story.viewed', 'story.viewed');
      expect(viewed.data as object).toMatchObject({ message_id: posted.message_id, viewer: '4915112345678' });
    } finally {
      collected.stream.close();
      await collected.ended;
    }
  });
});

describe('errors', () => {
  it('are typed, with the status, code and request id of the envelope', async () => {
    const other = await server.createCustomer('someone-else');
    const stranger = new WhatIsUpClient({ baseUrl: server.url, apiKey: other.apiKey });
    const notFound = await thrown(stranger.instances.get(instanceId));
    expect(notFound).toMatchObject({ status: 404, code: 'not_found', requestId: expect.stringMatching(/^req_/) });
    expect(notFound.request_id).toBe(notFound.requestId);
    expect((await thrown(stranger.messages.send(instanceId, { to: '4915112345678', body: text('not yours') }))).code).toBe('not_found');

    const invalid = await thrown(client.instances.create({ name: '' }));
    expect(invalid).toMatchObject({ status: 400, code: 'invalid_input', requestId: expect.stringMatching(/^req_/) });
    expect(invalid.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'body', path: 'name' })]));

    const unauthenticated = await thrown(new WhatIsUpClient({ baseUrl: server.url, apiKey: 'wiu_nope' }).instances.listPage());
    expect(unauthenticated).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('tell a request that got no answer apart from a refusal', async () => {
    const nowhere = new WhatIsUpClient({ baseUrl: 'http://127.0.0.1:9', apiKey: server.apiKey, maxRetries: 0 });
    const error = await thrown(nowhere.instances.listPage());
    expect(error).toBeInstanceOf(WhatIsUpConnectionError);
    expect(error).toMatchObject({ status: null, code: 'connection_error', requestId: null });
  });
});

describe('webhooks', () => {
  it('manages an endpoint and verifies a real delivery, rejecting a tampered body and a stale timestamp', async () => {
    const endpoint = await client.webhookEndpoints.create({ url: receiver.url, events: ['webhook.test', 'message.*'], description: 'client test' });
    expect(endpoint.signing_secret).toMatch(/^whsec_/);
    expect(await client.webhookEndpoints.get(endpoint.id)).not.toHaveProperty('signing_secret');
    expect((await client.webhookEndpoints.list().toArray()).map((e) => e.id)).toContain(endpoint.id);
    expect(await client.webhookEndpoints.update(endpoint.id, { description: null })).toMatchObject({ description: null });

    const test = await client.webhookEndpoints.test(endpoint.id);
    const delivery = await receiver.waitFor((r) => r.headers['webhook-id'] === test.event_id, `webhook.test ${test.event_id}`);
    const event = await verifyWebhook(delivery.rawBody, delivery.headers, { secret: endpoint.signing_secret });
    expect(event).toMatchObject({ event: 'webhook.test', event_id: test.event_id });

    const tampered = Buffer.from(delivery.rawBody.toString('utf8').replace('webhook.test', 'message.sent'));
    await expect(verifyWebhook(tampered, delivery.headers, { secret: endpoint.signing_secret })).rejects.toMatchObject({ reason: 'signature_mismatch' });
    const tenMinutesLater = () => Number(delivery.headers['webhook-timestamp']) * 1000 + 10 * 60_000;
    const stale = verifyWebhook(delivery.rawBody, delivery.headers, { secret: endpoint.signing_secret, now: tenMinutesLater });
    await expect(stale).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(stale).rejects.toMatchObject({ reason: 'timestamp_out_of_tolerance' });

    // Deliveries: listed by endpoint, read with the exact bytes sent, replayed.
    await until(async () => (await client.webhookDeliveries.get(test.delivery_id)).status === 'success', { timeoutMs: 20_000, intervalMs: 50 });
    const listed = await client.webhookDeliveries.list({ endpoint_id: endpoint.id, event: 'webhook.test' }).toArray();
    expect(listed.map((d) => d.id)).toContain(test.delivery_id);
    const detail = await client.webhookDeliveries.get(test.delivery_id);
    expect(detail.raw_payload).toBe(delivery.rawBody.toString('utf8'));
    expect(await client.webhookDeliveries.replay(test.delivery_id)).toMatchObject({ id: test.delivery_id, status: 'pending' });
    expect(await client.webhookDeliveries.recover({ endpoint_id: endpoint.id, since: new Date(Date.now() - 60_000).toISOString() })).toEqual({ count: 0 });

    // A rotated secret verifies the next delivery; so does the previous one, which keeps signing for a while.
    const rotated = await client.webhookEndpoints.rotateSecret(endpoint.id);
    expect(rotated.signing_secret).not.toBe(endpoint.signing_secret);
    const next = await client.webhookEndpoints.test(endpoint.id);
    const nextDelivery = await receiver.waitFor((r) => r.headers['webhook-id'] === next.event_id, `webhook.test ${next.event_id}`);
    for (const secret of [rotated.signing_secret, endpoint.signing_secret]) {
      await expect(verifyWebhook(nextDelivery.rawBody, nextDelivery.headers, { secret })).resolves.toMatchObject({ event_id: next.event_id });
    }

    expect((await client.webhookEndpoints.delete(endpoint.id)).id).toBe(endpoint.id);
    expect((await thrown(client.webhookEndpoints.get(endpoint.id))).status).toBe(404);
  });
});

describe('the event stream', () => {
  it('yields a message’s events, and a new stream resumes after the last one with Last-Event-ID', async () => {
    const firstStream = await openStream(client, { instance_id: instanceId, events: ['message.sent', 'message.delivered', 'message.read'] });
    const first = firstStream.stream;
    const before = await client.messages.send(instanceId, { to: '4915112345678', body: text('streamed') });
    await firstStream.waitFor((item) => isEventOf(item, 'message.read', before.message_id), `message.read of ${before.message_id}`);
    expect(firstStream.items.filter((item) => item.event.startsWith('message.')).map((item) => item.event)).toEqual(['message.sent', 'message.delivered', 'message.read']);
    first.close();
    await firstStream.ended;
    const resumeFrom = first.lastEventId;
    expect(resumeFrom).toMatch(/^evt_/);

    // While no stream is open, a message goes all the way to read.
    const missed = await client.messages.send(instanceId, { to: '4915112345678', body: text('while away') });
    await waitForMessage(missed.message_id, 'read');

    const secondStream = await openStream(client, { instance_id: instanceId, lastEventId: resumeFrom! });
    const second = secondStream.stream;
    await secondStream.waitFor((item) => isEventOf(item, 'message.read', missed.message_id), `the missed message.read of ${missed.message_id}`);
    const ids = secondStream.items.map((item) => item.event_id);
    expect(ids).not.toContain(resumeFrom);
    expect(secondStream.items.filter((item) => isEventOf(item, 'message.sent', before.message_id))).toEqual([]);
    second.close();
    await secondStream.ended;
  });

  it('reconnects on its own after the connection drops, sending Last-Event-ID, and misses nothing', async () => {
    const proxy = await startCuttableProxy(server.url);
    const viaProxy = new WhatIsUpClient({ baseUrl: proxy.url, apiKey: server.apiKey });
    const controller = new AbortController();
    const collected = await openStream(viaProxy, { instance_id: instanceId, events: ['message.read'], signal: controller.signal });
    const stream = collected.stream;
    try {
      const before = await client.messages.send(instanceId, { to: '4915112345678', body: text('before the drop') });
      await collected.waitFor((item) => isEventOf(item, 'message.read', before.message_id), 'message.read before the drop');
      const lastSeen = stream.lastEventId;

      proxy.hold();
      proxy.cut();
      await proxy.connections(2); // the client is back, waiting at the proxy
      const during = await client.messages.send(instanceId, { to: '4915112345678', body: text('during the drop') });
      await waitForMessage(during.message_id, 'read');
      proxy.release();

      await collected.waitFor((item) => isEventOf(item, 'message.read', during.message_id), 'message.read sent during the drop');
      expect(proxy.requestHeads[1]).toMatch(new RegExp(`^last-event-id: ${lastSeen}\\r$`, 'im'));
      expect(collected.items.filter((item: StreamItem) => item.event === 'message.read').map((item) => (item.data as { message_id: string }).message_id)).toEqual([
        before.message_id,
        during.message_id,
      ]);
    } finally {
      controller.abort();
      await collected.ended;
      await proxy.close();
    }
  });

  it('ends with the typed error when the stream is refused for good', async () => {
    const stream = client.events.stream({ instance_id: 'inst_00000000000000000000000000' });
    const collected = collect(stream);
    await expect(collected.ended).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('the other resources', () => {
  it('media: downloads an inbound attachment from the URL its message.received event carries', async () => {
    const collected = await openStream(client, { instance_id: instanceId, events: ['message.received'] });
    const stream = collected.stream;
    const bytes = Buffer.from('fake image bytes, as the sandbox takes them');
    const injected = await client.instances.sandbox.inbound(instanceId, {
      from: '4915187654321',
      body: { type: 'image', media_base64: bytes.toString('base64'), mime_type: 'image/jpeg' },
    });
    const received = await collected.waitFor((item) => item.event === 'message.received' && item.data.message_id === injected.message_id, 'message.received');
    const mediaUrl = (received.data as { body: { media_url: string } }).body.media_url;
    const media = await client.media.download(mediaUrl);
    expect(Buffer.from(media.data)).toEqual(bytes);
    expect(media.contentType).toMatch(/^image\/jpeg/);
    stream.close();
    await collected.ended;
  });

  it('api keys, audit events, event tokens, limits and the operator routes', async () => {
    const created = await client.apiKeys.create({ name: 'bound', instance_id: instanceId });
    expect(created.key).toMatch(/^wiu_/);
    expect((await client.apiKeys.list().toArray()).map((k) => k.id)).toContain(created.id);
    expect((await client.apiKeys.revoke(created.id)).revoked_at).not.toBeNull();

    const audit = await client.auditEvents.list({ instance_id: instanceId }).toArray(50);
    expect(audit.map((e) => e.action)).toContain('instance.created');

    const token = await client.eventTokens.create({ instance_id: instanceId, ttl_seconds: 60 });
    expect(token.token).toMatch(/^wiuevt_/);
    const page = await fetch(client.eventTokens.pairingUrl(token.token));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const source = await fetch(client.eventTokens.eventSourceUrl(token.token, { events: ['message.read'] }));
    expect(source.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await source.body?.cancel();

    const limits = await client.limits.get();
    expect(limits.requests).toEqual({ limit: expect.any(Number), remaining: expect.any(Number), reset_at: expect.any(String), refill_per_second: expect.any(Number) });
    expect(await client.operations.health()).toEqual({ status: 'ok' });
    expect(await client.operations.readiness()).toMatchObject({ status: 'ok' });
    expect(await client.operations.metrics()).toMatch(/whatisup_http_requests_total/);
  });
});
