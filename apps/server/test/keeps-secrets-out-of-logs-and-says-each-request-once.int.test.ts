/*
 * A real server started with secrets the test knows (SECRETS_KEY, API_KEY_PEPPER, METRICS_TOKEN, the
 * database password) serves traffic that uses more of them (API keys, a caller-chosen webhook signing
 * secret, an event token in a URL) and fails in every usual way (401, 404, 400, a key pasted into a URL, a
 * webhook receiver that answers 500), at LOG_LEVEL=debug. Then everything the process printed, stdout and
 * stderr, is searched for every secret. It also shows that each request logs exactly one line, failed ones
 * with their error code and the customer they concerned, that a webhook failing every attempt is said
 * once at warn, and that the server starts without deprecation warnings.
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase, testRedisUrl, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { waitForDeliveryStatus } from './support/wait-for-delivery-status.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

let database: TestDatabase;
let receiver: WebhookReceiver;
let env: TestEnv;
let server: ServerProcess;
let api: ApiClient;
let bootstrapKey: string;
const databasePassword = `pg-pass-${randomBytes(8).toString('hex')}`;
const metricsToken = `metrics-token-${randomBytes(8).toString('hex')}`;
const signingSecret = `whsec_${randomBytes(32).toString('base64')}`;
const secrets: Record<string, string> = {};

type LogLine = Record<string, unknown> & { level: number; msg: string };

/** Every JSON line the process printed so far. */
const logLines = (): LogLine[] =>
  server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver({ reply: () => ({ status: 500 }) });
  // The test cluster trusts local connections: the password is ignored by Postgres but held by the server.
  const databaseUrl = new URL(database.url);
  databaseUrl.password = databasePassword;
  env = testEnv(databaseUrl.href, testRedisUrl(), {
    REDIS_PREFIX: uniqueRedisPrefix('log-secrets'),
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    WEBHOOK_RETRY_SCHEDULE: '0,1,1',
    SANDBOX_AUTO_SCAN_MS: '50',
    METRICS_TOKEN: metricsToken,
    LOG_LEVEL: 'debug',
  });
  Object.assign(secrets, {
    SECRETS_KEY: env['SECRETS_KEY']!,
    API_KEY_PEPPER: env['API_KEY_PEPPER']!,
    METRICS_TOKEN: metricsToken,
    'the database password': databasePassword,
    'the signing secret': signingSecret,
  });
  server = await startServer(env);
  bootstrapKey = await bootstrapKeyOf(server);
  api = createApiClient(server.url, bootstrapKey);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

/** A request with its `x-request-id`. */
async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return { status: response.status, requestId: response.headers.get('x-request-id') ?? '' };
}

describe('logs of a real server', () => {
  it('hold none of the secrets it was given or handed, through successes and failures', async () => {
    const created = await api.post<{ key: string }>('/v1/api-keys', { name: 'second' });
    expect(created.status).toBe(201);
    secrets['a created API key'] = created.body.key;
    const auth = { authorization: `Bearer ${created.body.key}` };

    const endpoint = await api.post<{ id: string }>('/v1/webhook-endpoints', { url: `${receiver.url}/fails`, events: ['message.sent'], signing_secret: signingSecret });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const instanceId = await connectSandboxInstance(api, 'logged');
    const minted = await api.post<{ token: string }>('/v1/event-tokens', { instance_id: instanceId, ttl_seconds: 300 });
    expect(minted.status).toBe(201);
    secrets['an event token'] = minted.body.token;

    // Failures of every usual kind, each with a secret where a careless log would print it.
    expect((await call('GET', '/v1/instances', { authorization: `Bearer ${created.body.key}x` })).status).toBe(401);
    expect((await call('GET', `/v1/instances?api_key=${created.body.key}`, auth)).status).toBe(401);
    expect((await call('GET', '/v1/instances/inst_00000000000000000000000000', auth)).status).toBe(404);
    expect((await call('POST', `/v1/instances/${instanceId}/messages`, auth, { to: 'nobody', body: { type: 'text', text: 'x' } })).status).toBe(400);
    expect((await call('GET', '/metrics', { authorization: `Bearer ${metricsToken}` })).status).toBe(200);
    expect((await call('GET', '/metrics', { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    const stream = new AbortController();
    const opened = await fetch(`${server.url}/v1/events?token=${encodeURIComponent(minted.body.token)}`, { signal: stream.signal });
    expect(opened.status).toBe(200);
    stream.abort();

    // A message whose message.sent webhook fails every attempt.
    const sent = await api.post<{ message_id: string }>(`/v1/instances/${instanceId}/messages`, { to: '4915112345678', body: { type: 'text', text: 'private words' } });
    expect(sent.status).toBe(202);
    await until(async () => (await api.get<{ data: unknown[] }>(`/v1/webhook-deliveries?endpoint_id=${endpoint.body.id}`)).body.data.length > 0, {
      timeoutMs: 15_000,
      message: 'no delivery of message.sent',
    });
    const [delivery] = (await api.get<{ data: Array<{ id: string }> }>(`/v1/webhook-deliveries?endpoint_id=${endpoint.body.id}`)).body.data;
    await waitForDeliveryStatus(api, delivery!.id, 'failed');
    await until(() => logLines().some((line) => line['delivery_id'] === delivery!.id && line.level === 40), {
      timeoutMs: 10_000,
      message: 'the final failure of the delivery was not logged',
    });

    const output = server.output();
    for (const [name, secret] of Object.entries(secrets)) expect(output.includes(secret), `${name} appears in the output`).toBe(false);
    // The first development key is printed once, on purpose, as plain text; never in a log line.
    expect(logLines().filter((line) => JSON.stringify(line).includes(bootstrapKey))).toEqual([]);
    expect(output).not.toContain('private words');

    // Retries are said at debug; the end of the delivery once, at warn.
    const aboutDelivery = logLines().filter((line) => line['delivery_id'] === delivery!.id);
    expect(aboutDelivery.filter((line) => line.level >= 40)).toHaveLength(1);
    expect(aboutDelivery.filter((line) => line.level >= 40)[0]).toMatchObject({ outcome: 'failed', attempts: 3, response_status: 500, event: 'message.sent' });
    expect(aboutDelivery.filter((line) => line.msg === 'webhook attempt failed; it is retried')).toHaveLength(2);
  });

  it('say each request once, with its id, and a failed one with its code and customer', async () => {
    const customerId = logLines().find((line) => line.msg === 'created the first development customer and key')?.['customer_id'];
    expect(customerId).toMatch(/^cust_/);
    const auth = { authorization: `Bearer ${bootstrapKey}` };
    const requests = [
      await call('GET', '/v1/instances', auth),
      await call('GET', '/v1/instances/inst_00000000000000000000000000', auth),
      await call('GET', '/v1/instances', { authorization: 'Bearer nope' }),
      await call('GET', '/healthz'),
    ];
    await until(() => requests.every(({ requestId }) => logLines().some((line) => line['request_id'] === requestId)), {
      timeoutMs: 5_000,
      message: 'a request logged no line',
    });
    const linesOf = (requestId: string) => logLines().filter((line) => line['request_id'] === requestId);
    for (const { requestId } of requests) expect(linesOf(requestId), requestId).toHaveLength(1);
    expect(linesOf(requests[1]!.requestId)[0]).toMatchObject({
      status: 404,
      error_code: 'not_found',
      customer_id: customerId,
      instance_id: 'inst_00000000000000000000000000',
    });
    expect(linesOf(requests[2]!.requestId)[0]).toMatchObject({ status: 401, error_code: 'unauthenticated' });
  });

  it('start without deprecation warnings', () => {
    expect(server.output()).not.toMatch(/DeprecationWarning|FSTDEP/);
  });
});
