/*
 * Attacks on a real server process, each answered as the API documents: SSRF through host names and
 * allow-listed link-local ranges, deep JSON, malformed HTTP, loose query strings, re-encoded event tokens,
 * fan-out past the endpoint cap, and a burst of guessed keys. One server serves the whole file; the guessed-key
 * burst runs last because it throttles this client's address for every key, even a valid one.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { connect } from 'node:net';
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';

let database: TestDatabase;
let server: ServerProcess;
let key: string;
let api: ApiClient;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startServer(
    testEnv(database.url, serverRedisUrl(), {
      REDIS_PREFIX: uniqueRedisPrefix('hostile'),
      // NODE_ENV=test keeps production's policy; the operator allows link-local, never cloud metadata.
      WEBHOOK_ALLOW_CIDRS: '169.254.0.0/16',
      WEBHOOK_MAX_ENDPOINTS_PER_CUSTOMER: '3',
      // The default capacity (30) with a slow refill, so a slow machine's burst cannot earn a token back midway.
      AUTH_FAILURE_REFILL_PER_MINUTE: '1',
    }),
  );
  key = await bootstrapKeyOf(server);
  api = createApiClient(server.url, key);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
  request_id: string;
}

const createEndpoint = (url: string) => api.post<ErrorBody & { id: string }>('/v1/webhook-endpoints', { url, events: ['*'] });

describe('webhook URLs a real server refuses', () => {
  it('answers a name resolving to loopback exactly like a name that does not resolve, naming no address', async () => {
    const privateName = await createEndpoint('http://localhost:8080/hook');
    const unresolvable = await createEndpoint('http://nonexistent.invalid/hook');
    for (const response of [privateName, unresolvable]) {
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('unsafe_url');
      expect(response.body.error.details?.reason).toBe('host_not_public');
      expect(response.body.error.details).not.toHaveProperty('range');
      expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|::1/);
    }
    // Different answers would tell an attacker which internal names exist.
    expect(privateName.body.error).toEqual(unresolvable.body.error);
  });

  it.each([
    ['AWS ECS task metadata', 'http://169.254.170.2/v2/credentials'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
  ])('refuses %s although WEBHOOK_ALLOW_CIDRS allows 169.254.0.0/16', async (_label, url) => {
    const response = await createEndpoint(url);
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('unsafe_url');
    expect(response.body.error.details?.range).toBe('cloud_metadata');
  });
});

describe('webhook fan-out', () => {
  it('refuses a customer\'s endpoint past WEBHOOK_MAX_ENDPOINTS_PER_CUSTOMER and shows the use in /v1/limits', async () => {
    for (const n of [1, 2, 3]) expect((await createEndpoint(`http://169.254.10.${n}/hook`)).status).toBe(201);
    const refused = await createEndpoint('http://169.254.10.4/hook');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('limit_exceeded');
    expect(refused.body.error.details).toMatchObject({ limit: 'webhook_endpoints_per_customer', max: 3, current: 3 });

    const limits = await api.get<{ webhook_endpoints: { per_customer: { limit: number; used: number } } }>('/v1/limits');
    expect(limits.status).toBe(200);
    expect(limits.body.webhook_endpoints.per_customer).toEqual({ limit: 3, used: 3 });
    const listed = await api.get<{ data: unknown[] }>('/v1/webhook-endpoints?limit=100');
    expect(listed.body.data).toHaveLength(3);
  });
});

describe('hostile request bodies and query strings', () => {
  it('answers a body nested 10,000 levels deep with 400 invalid_input and keeps serving', async () => {
    const depth = 10_000;
    const deep = `{"name":"deep","metadata":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const response = await fetch(`${server.url}/v1/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: deep,
    });
    const body = (await response.json()) as ErrorBody;
    expect(response.status).toBe(400);
    expect(body.error.code).toBe('invalid_input');
    expect(body.request_id).toMatch(/^req_/);

    expect(server.child.exitCode).toBeNull();
    expect((await api.get('/v1/instances')).status).toBe(200);
  });

  it.each([
    ['limit=1e2', 'limit'],
    ['limit=0x10', 'limit'],
    ['instance_id[]=x', 'instance_id[]'],
    ['instance_id=a&instance_id=b', 'instance_id'],
  ])('refuses ?%s with 400 invalid_input naming the parameter', async (query, parameter) => {
    const response = await api.get<ErrorBody & { error: { details: { issues: Array<{ in: string; path: string }> } } }>(
      `/v1/webhook-deliveries?${query}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_input');
    expect(response.body.error.details.issues).toContainEqual(expect.objectContaining({ in: 'query', path: parameter }));
  });
});

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Writes `request` as is on a fresh TCP connection and reads until the server closes it. */
function rawRequest(request: string): Promise<RawResponse> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(request);
  });
}

describe('requests Node\'s HTTP parser refuses', () => {
  it.each([
    ['a header line without a colon', `GET /v1/limits HTTP/1.1\r\nHost: x\r\nthis line has no colon\r\n\r\n`, 400],
    ['headers over 16 KiB', `GET /v1/limits HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ])('answers %s in the error envelope with a request id', async (_label, request, status) => {
    const response = await rawRequest(request);
    expect(response.status).toBe(status);
    const body = JSON.parse(response.body) as ErrorBody;
    expect(body.error.code).toBe('invalid_request');
    expect(body.request_id).toMatch(/^req_/);
    expect(response.headers['x-request-id']).toBe(body.request_id);
  });
});

describe('event tokens', () => {
  it('refuses a token whose signature is re-encoded in non-canonical base64url', async () => {
    const minted = await api.post<{ token: string }>('/v1/event-tokens', { ttl_seconds: 300 });
    expect(minted.status).toBe(201);
    const token = minted.body.token;
    const signature = token.slice(token.lastIndexOf('.') + 1);
    // 32 bytes are 43 characters whose last one carries 2 unused bits: flipping one decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = signature.at(-1)!;
    const reencoded = `${signature.slice(0, -1)}${alphabet[alphabet.indexOf(last) ^ 1]}`;
    expect(reencoded).not.toBe(signature);
    expect(Buffer.from(reencoded, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));

    const open = (candidate: string) => {
      const controller = new AbortController();
      return fetch(`${server.url}/v1/events?token=${encodeURIComponent(candidate)}`, { signal: controller.signal }).then(
        async (response) => {
          const text = response.status === 200 ? '' : await response.text();
          controller.abort();
          return { status: response.status, text };
        },
      );
    };
    expect((await open(token)).status).toBe(200);
    const refused = await open(`${token.slice(0, token.lastIndexOf('.') + 1)}${reencoded}`);
    expect(refused.status).toBe(401);
    expect((JSON.parse(refused.text) as ErrorBody).error.code).toBe('unauthenticated');
  });
});

describe('guessed API keys', () => {
  const base32 = 'abcdefghijklmnopqrstuvwxyz234567';
  const randomKey = () =>
    `wiu_${Array.from({ length: 16 }, () => base32[randomInt(32)]).join('')}_${randomBytes(32).toString('base64url')}`;

  it('answers 429 with Retry-After once one client spent its failed-authentication allowance, even for a valid key', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    let reason: unknown;
    for (let i = 0; i < 100; i += 1) {
      const response = await fetch(`${server.url}/v1/limits`, { headers: { authorization: `Bearer ${randomKey()}` } });
      statuses.push(response.status);
      const body = (await response.json()) as ErrorBody;
      if (response.status === 429 && retryAfter === null) {
        retryAfter = response.headers.get('retry-after');
        reason = body.error.details?.reason;
      }
    }
    const firstRefusal = statuses.indexOf(429);
    // AUTH_FAILURE_CAPACITY is 30; the token test above spent one failure of this address's allowance.
    expect(firstRefusal).toBeGreaterThanOrEqual(28);
    expect(firstRefusal).toBeLessThanOrEqual(30);
    expect(statuses.slice(0, firstRefusal).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(firstRefusal).every((status) => status === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(reason).toBe('too_many_failed_authentications');

    const valid = await api.get<ErrorBody>('/v1/limits');
    expect(valid.status).toBe(429);
  });
});
