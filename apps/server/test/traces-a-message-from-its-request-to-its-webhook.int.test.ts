/*
 * With the real server process exporting to a local OTLP/HTTP receiver (OTEL_EXPORTER_OTLP_ENDPOINT): one
 * trace follows a message from `POST /v1/instances/:id/messages` through the outbox job and the send to the
 * HTTP POST of its `message.sent` webhook, each span's parent chain reaching the request's server span; an
 * inbound message (the sandbox's simulated socket) starts a trace of its own that reaches its
 * `message.received` webhook. No span carries the message's text, the API key or the signing secret.
 */
import { createTestDatabase, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { eventsOfMessage } from './support/message-events.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

let database: TestDatabase;
let receiver: WebhookReceiver;
let otlp: OtlpReceiver;
let serverProcess: ServerProcess;
let api: ApiClient;
let apiKey: string;
let signingSecret: string;
let instanceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  otlp = await startOtlpReceiver();
  serverProcess = await startServer(
    testEnv(database.url, testRedisUrl(), {
      REDIS_PREFIX: uniqueRedisPrefix('traces'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_SERVICE_NAME: 'whatisup-under-test',
      // Export every 100 ms rather than every 5 s: the test waits for the spans to arrive.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    }),
  );
  apiKey = await bootstrapKeyOf(serverProcess);
  api = createApiClient(serverProcess.url, apiKey);
  const endpoint = await api.post<{ secret: string }>('/v1/webhook-endpoints', { url: `${receiver.url}/hooks`, events: ['message.sent', 'message.received'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  signingSecret = endpoint.body.secret;
  instanceId = await connectSandboxInstance(api, 'traced');
}, 60_000);

afterAll(async () => {
  await serverProcess?.stop();
  await receiver?.close();
  await otlp?.close();
  await database?.drop();
});

const receiverPort = () => Number(new URL(receiver.url).port);

/** The webhook POSTs to the receiver in `traceId`'s trace. */
const webhookPostsIn = (spans: readonly ReceivedSpan[], traceId: string) =>
  spans.filter((s) => s.traceId === traceId && s.kind === CLIENT && s.name === 'POST' && s.attributes['server.port'] === receiverPort());

/** The names from `span` up its parent chain to the trace's root (only spans received so far). */
function ancestry(spans: readonly ReceivedSpan[], span: ReceivedSpan): string[] {
  const byId = new Map(spans.filter((s) => s.traceId === span.traceId).map((s) => [s.spanId, s]));
  const names = [span.name];
  for (let at = span; at.parentSpanId !== ''; ) {
    const parent = byId.get(at.parentSpanId);
    if (parent === undefined) return [...names, `<missing ${at.parentSpanId}>`];
    names.push(parent.name);
    at = parent;
  }
  return names;
}

/** Whether every ancestor of `span` has arrived (a parent ends, and so is exported, after its children). */
const reachesRoot = (spans: readonly ReceivedSpan[], span: ReceivedSpan) => !ancestry(spans, span).some((name) => name.startsWith('<missing'));

describe('traces', () => {
  it('follow a message from its POST to the delivery attempt of its message.sent webhook, in one trace', async () => {
    const text = 'Hello traced world 7f3a';
    const accepted = await api.post<{ message_id: string }>(`/v1/instances/${instanceId}/messages`, { to: '4915112345678', body: { type: 'text', text } });
    expect(accepted.status).toBe(202);
    const messageId = accepted.body.message_id;
    await receiver.waitFor((all) => eventsOfMessage(all, messageId).some((e) => e.event === 'message.sent'), `message.sent for ${messageId}`);

    const request = () => otlp.spans.find((s) => s.kind === SERVER && s.attributes['whatisup.message.id'] === messageId);
    await otlp.waitFor(() => {
      const found = request();
      return found !== undefined && webhookPostsIn(otlp.spans, found.traceId).some((post) => reachesRoot(otlp.spans, post));
    }, `the request span of ${messageId} and a webhook POST in its trace, with every span between them`);

    const requestSpan = request()!;
    expect(requestSpan).toMatchObject({ name: 'POST /v1/instances/:id/messages', parentSpanId: '' });
    expect(requestSpan.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/instances/:id/messages',
      'http.response.status_code': 202,
      'whatisup.instance.id': instanceId,
      'whatisup.customer.id': expect.stringMatching(/^cust_/),
    });
    expect(requestSpan.resource).toMatchObject({ 'service.name': 'whatisup-under-test', 'whatisup.role': 'all' });

    const trace = otlp.spans.filter((s) => s.traceId === requestSpan.traceId);
    const send = trace.find((s) => s.name === 'send message');
    expect(send?.attributes).toMatchObject({ 'whatisup.message.id': messageId, 'whatisup.instance.id': instanceId });
    expect(ancestry(otlp.spans, send!)).toEqual(['send message', 'POST /v1/instances/:id/messages']);
    expect(trace.some((s) => s.name === 'process message-outbox' && s.kind === CONSUMER)).toBe(true);

    const [post] = webhookPostsIn(otlp.spans, requestSpan.traceId);
    expect(post!.attributes).toMatchObject({ 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'http.response.status_code': 200 });
    expect(ancestry(otlp.spans, post!)).toEqual([
      'POST',
      'process webhook-deliveries',
      'publish webhook-deliveries',
      'send message',
      'POST /v1/instances/:id/messages',
    ]);

    // The request's log line leads to the trace.
    const requestLine = serverProcess
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line['message_id'] === messageId && line['method'] === 'POST');
    expect(requestLine).toMatchObject({ trace_id: requestSpan.traceId, status: 202, instance_id: instanceId });

    const exported = otlp.bodies.join('\n');
    for (const secret of [text, apiKey, signingSecret, '/hooks']) expect(exported).not.toContain(secret);
  });

  it('start at an inbound message and reach its message.received webhook', async () => {
    const injected = await api.post<{ message_id: string }>(`/v1/instances/${instanceId}/sandbox/inbound`, {
      from: '4915112345678',
      body: { type: 'text', text: 'inbound words 91c2' },
    });
    expect(injected.status, JSON.stringify(injected.body)).toBeLessThan(300);

    const receive = () => otlp.spans.find((s) => s.name === 'receive message' && s.attributes['whatisup.instance.id'] === instanceId);
    await otlp.waitFor(() => {
      const found = receive();
      return found !== undefined && webhookPostsIn(otlp.spans, found.traceId).some((post) => reachesRoot(otlp.spans, post));
    }, 'a receive message span and a webhook POST in its trace, with every span between them');

    const root = receive()!;
    expect(root).toMatchObject({ kind: CONSUMER, parentSpanId: '' });
    const [post] = webhookPostsIn(otlp.spans, root.traceId);
    expect(ancestry(otlp.spans, post!)).toEqual(['POST', 'process webhook-deliveries', 'publish webhook-deliveries', 'receive message']);
    expect(otlp.bodies.join('\n')).not.toContain('inbound words 91c2');
  });
});
