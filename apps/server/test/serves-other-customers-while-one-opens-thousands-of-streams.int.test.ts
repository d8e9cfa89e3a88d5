/*
 * One customer opens a few thousand event streams against a real server process (default caps) while
 * another customer keeps calling the API. The greedy customer gets its per-customer share of streams and
 * 429s for the rest; the other customer's requests are all answered 2xx, and the server still has
 * descriptors and connections to spare (readyz shows the budget it derived from the open-file limit).
 */
import { createTestDatabase, sleep, type TestDatabase } from '@whatisup/test-infra';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomerWithKey, type CustomerWithKey } from './support/customer-with-key.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';

const ATTEMPTS = 3_000;
const IN_FLIGHT = 500;
const OTHER_CUSTOMER_GAP_MS = 100;
const KEYS_OF_A = 10;

let database: TestDatabase;
let env: TestEnv;
let server: ServerProcess;
let a: CustomerWithKey;
let b: CustomerWithKey;
const held: http.ClientRequest[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  env = testEnv(database.url, serverRedisUrl());
  [a, b] = await Promise.all([createCustomerWithKey(env, 'Greedy'), createCustomerWithKey(env, 'Other')]);
  server = await startServer(env);
}, 90_000);

afterAll(async () => {
  held.splice(0).forEach((request) => request.destroy());
  await server?.stop();
  await database?.drop();
});

/** Opens a stream and resolves with its status; a 200 stays open (held) until the test ends. */
function openStream(key: string): Promise<number | 'error'> {
  return new Promise((resolve) => {
    const request = http.get(`${server.url}/v1/events`, { agent: false, headers: { authorization: `Bearer ${key}` } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status === 200) held.push(request);
      else {
        response.resume();
        response.on('end', () => request.destroy());
      }
      resolve(status);
    });
    request.on('error', () => resolve('error'));
  });
}

describe('a customer opening thousands of event streams', () => {
  it('gets its capped share while another customer is answered throughout', async () => {
    const keys = [a.key];
    for (let i = 1; i < KEYS_OF_A; i += 1) {
      const created = await fetch(`${server.url}/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `k${i}` }),
      });
      expect(created.status).toBe(201);
      keys.push(((await created.json()) as { key: string }).key);
    }

    let attacking = true;
    const attack = (async () => {
      const statuses: Array<number | 'error'> = [];
      let next = 0;
      const lane = async () => {
        while (next < ATTEMPTS) {
          const i = next++;
          statuses.push(await openStream(keys[i % keys.length]!));
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
      attacking = false;
      return statuses;
    })();

    const otherStatuses: number[] = [];
    let answeredDuringAttack = 0;
    while (attacking || otherStatuses.length < 20) {
      const response = await fetch(`${server.url}/v1/instances`, { headers: { authorization: `Bearer ${b.key}` } });
      await response.arrayBuffer();
      if (attacking) answeredDuringAttack += 1;
      otherStatuses.push(response.status);
      // The other customer behaves: it paces itself below its own rate bucket's refill (20/s by default), so
      // any refusal it sees would come from the attack, not from its own limit.
      await sleep(OTHER_CUSTOMER_GAP_MS);
    }
    const statuses = await attack;

    expect(statuses).toHaveLength(ATTEMPTS);
    const count = (status: number | 'error') => statuses.filter((s) => s === status).length;
    // SSE_MAX_STREAMS_PER_CUSTOMER defaults to 100; every other attempt is refused in the envelope.
    expect(count(200)).toBe(100);
    expect(count(429)).toBe(ATTEMPTS - 100);
    expect(otherStatuses.filter((status) => status < 200 || status >= 300)).toEqual([]);
    // Served while the flood was on, not only after it (how fast is for `pnpm bench`, not a timed assertion).
    expect(answeredDuringAttack).toBeGreaterThan(0);

    // The other customer can still open a stream of its own.
    expect(await openStream(b.key)).toBe(200);

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    const { details } = (await ready.json()) as { details: { connections: Record<string, number> } };
    expect(details.connections).toMatchObject({ open_streams: 101, max_streams_per_customer: 100, max_streams_per_key: 20 });
    expect(details.connections.max_connections).toBeLessThan(details.connections.open_file_limit!);
    expect(server.output()).toContain('"msg":"connection limits"');
  }, 60_000);
});
