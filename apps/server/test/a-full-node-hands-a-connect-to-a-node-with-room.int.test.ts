/*
 * Two real server processes, each allowed one session (MAX_SESSIONS_PER_NODE=1), and every connect sent to
 * the first: a load balancer that happens to send a burst of connects to one node. The second connect finds
 * that node full, and the node offers it to the other one, which starts the session; only the third, with both
 * full, answers 503 `worker_at_capacity`, through either node.
 *
 * The lease TTL is long (placement runs every third of it), so no placement round moves an instance between
 * the connects: where each session runs is where its connect put it.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { leasesOf, nodeIdOf } from './support/cluster.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { sharedRedisOrSkip } from './support/redis-for-servers.js';

let database: TestDatabase;
const servers: ServerProcess[] = [];
const nodeIds: string[] = [];
const apis: ApiClient[] = [];

const redisUrl = sharedRedisOrSkip('a-full-node-hands-a-connect-to-a-node-with-room', 'two nodes share one queue, which takes a Redis');

beforeAll(async () => {
  if (redisUrl === null) return;
  database = await createTestDatabase();
  const env = testEnv(database.url, redisUrl, {
    REDIS_PREFIX: uniqueRedisPrefix('full-node'),
    MAX_SESSIONS_PER_NODE: '1',
    SESSION_LEASE_TTL_MS: '120000',
    SANDBOX_AUTO_SCAN_MS: '50',
  });
  servers.push(await startServer(env), await startServer(env));
  const key = await bootstrapKeyOf(servers[0]!);
  for (const server of servers) {
    nodeIds.push(await nodeIdOf(server));
    apis.push(createApiClient(server.url, key));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  await database?.drop();
});

// Skips only without a Redis (never in CI, where TEST_REQUIRE_INFRA=1): two nodes share one queue.
describe.skipIf(redisUrl === null)('a connect that reaches a full node', () => {
  it('is started by another node with room, and refused with worker_at_capacity only when every node is full', async () => {
    const [first, second] = apis as [ApiClient, ApiClient];
    const onFirst = await connectSandboxInstance(first, 'fills-the-first-node');
    const handedOn = await connectSandboxInstance(first, 'goes-to-the-second-node');
    const where = new Map((await leasesOf(database.url)).map((row) => [row.instance_id, row.node_id]));
    expect([where.get(onFirst), where.get(handedOn)]).toEqual(nodeIds);

    const third = await first.post<{ id: string }>('/v1/instances', { name: 'finds-no-room', kind: 'sandbox' });
    expect(third.status).toBe(201);
    for (const api of apis) {
      const refused = await api.post(`/v1/instances/${third.body.id}/connect`);
      expect(refused).toMatchObject({ status: 503, body: { error: { code: 'worker_at_capacity', details: { max_sessions: 1 } } } });
    }
    const instance = await first.get<{ status: string }>(`/v1/instances/${third.body.id}`);
    expect(instance.body.status, 'a refused start changes nothing').toBe('pending');
  }, 60_000);
});
