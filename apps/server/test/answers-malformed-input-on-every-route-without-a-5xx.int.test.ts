/*
 * Every route the OpenAPI document lists, called with malformed ids, query strings and bodies, answers in the
 * error envelope with a 4xx: never a 5xx, never a stack trace. The routes come from /openapi.json, so a new
 * route is probed without touching this test.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';

let database: TestDatabase;
let server: ServerProcess;
let key: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startServer(testEnv(database.url, serverRedisUrl(), { REDIS_PREFIX: uniqueRedisPrefix('probe') }));
  key = await bootstrapKeyOf(server);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const MALFORMED_IDS = ['%00', 'x'.repeat(300), '..%2F..%2Fetc', 'inst_01M8H5CHVH19HNQYR5J9YMWFNV', "'%20OR%201=1--"];
const MALFORMED_BODIES = [
  '',
  '{',
  '[]',
  'null',
  '"text"',
  '{"__proto__":{"polluted":1}}',
  JSON.stringify({ name: {}, url: 42, events: 'all', to: 'abc', body: { type: 'text', text: 1 }, since: '2026-02-30T00:00:00Z' }),
  JSON.stringify({ name: 'a\u0000b', metadata: { k: 'v\u0000' }, to: '4915112345678', body: { type: 'text', text: 'nul\u0000' } }),
];
const MALFORMED_QUERY = '?limit=-1&cursor=%00&status=nope&events=nope&instance_id=%00&ttl_seconds=abc';

interface Problem {
  readonly request: string;
  readonly status: number;
  readonly body: string;
}

async function probe(method: string, path: string, body: string | undefined, problems: Problem[]): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  try {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
      signal: controller.signal,
    });
    // An accepted event stream stays open: that is a success, not something to read to the end.
    const text = response.headers.get('content-type')?.includes('text/event-stream') ? '' : await response.text();
    const request = `${method} ${path} ${body ?? ''}`.slice(0, 200);
    if (response.status >= 500 || /\n\s+at |\.ts:\d+/.test(text)) problems.push({ request, status: response.status, body: text.slice(0, 300) });
    else if (response.status >= 400 && !path.startsWith('/pair') && !text.includes('"request_id":"req_')) {
      problems.push({ request, status: response.status, body: `not the error envelope: ${text.slice(0, 200)}` });
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

describe('malformed input on every documented route', () => {
  it('never answers 5xx or leaks a stack trace', async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => ['get', 'post', 'patch', 'delete', 'put'].includes(method))
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(operations.length).toBeGreaterThan(30);

    const problems: Problem[] = [];
    let requests = 0;
    for (const { method, path } of operations) {
      if (path === '/v1/events' || path === '/metrics') continue; // covered by their own tests; no input to fuzz here
      const withBody = method !== 'GET' && method !== 'DELETE';
      for (const id of MALFORMED_IDS) {
        const concrete = path.replace(/\{[^}]+\}/g, id) + (method === 'GET' ? MALFORMED_QUERY : '');
        const bodies = withBody ? MALFORMED_BODIES : [undefined];
        await Promise.all(bodies.map((body) => probe(method, concrete, body, problems)));
        requests += bodies.length;
        if (!path.includes('{')) break; // one id is enough for a path without parameters
      }
    }
    expect(requests).toBeGreaterThan(200);
    expect(problems).toEqual([]);
  }, 120_000);
});
