/*
 * A rolling restart under a steady send load: three real server processes share six sandbox instances
 * while a client posts messages to random nodes; each node in turn gets SIGTERM and a fresh process takes
 * its place. Every message must be sent exactly once (one `sent` in its trail) and, per instance, in the
 * order it was accepted; no instance may be asked for a QR again, and no socket may overlap another.
 * Then the same under SIGKILL of a node: its instances resume elsewhere once its leases expire, and the
 * messages staged before and during that failover still go out once each, in order.
 */
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { nodeIdOf, overlappingSockets, socketEvents, waitUntilPlaced } from './support/cluster.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { queryDatabase } from './support/query-database.js';
import { sharedRedisOrSkip } from './support/redis-for-servers.js';
import { expectEachSentOnceInOrder } from './support/sent-once-in-order.js';

const INSTANCES = 6;

interface Node {
  readonly server: ServerProcess;
  readonly id: string;
  readonly api: ApiClient;
}

let database: TestDatabase;
let env: TestEnv;
let key: string;
let nodes: Node[] = [];
const everyServer: ServerProcess[] = [];

async function startNode(): Promise<Node> {
  const server = await startServer(env);
  everyServer.push(server);
  key ??= await bootstrapKeyOf(server);
  return { server, id: await nodeIdOf(server), api: createApiClient(server.url, key) };
}

const redisUrl = sharedRedisOrSkip('rolling-restart-of-every-node-sends-each-message-once-in-order', 'several nodes share one queue, which takes a Redis');

beforeAll(async () => {
  if (redisUrl === null) return;
  database = await createTestDatabase();
  env = testEnv(database.url, redisUrl, {
    REDIS_PREFIX: uniqueRedisPrefix('rolling'),
    SESSION_LEASE_TTL_MS: '5000',
    SESSION_RESUME_PER_SECOND: '200',
    SANDBOX_AUTO_SCAN_MS: '50',
    MESSAGE_MIN_GAP_MS: '0',
    // A node killed mid-send leaves its claim: short, so the new owner retries the message soon.
    MESSAGE_CLAIM_LEASE_MS: '5000',
    // Room for a clean stop on a loaded test machine; the exit code still says whether it was clean.
    SHUTDOWN_TIMEOUT_MS: '30000',
    LOG_LEVEL: 'debug',
  });
  nodes.push(await startNode());
  nodes.push(await startNode(), await startNode());
}, 120_000);

afterAll(async () => {
  await Promise.all(everyServer.map((server) => server.stop('SIGKILL')));
  await database?.drop();
});

/** Posts one message a tick to a random node, moving on to another node (same client_ref) when one refuses. */
function startSending(instanceIds: readonly string[], prefix = 'm') {
  const accepted: string[] = [];
  let stopped = false;
  let n = 0;
  const loop = (async () => {
    while (!stopped) {
      const clientRef = `${prefix}-${n}`;
      const instanceId = instanceIds[n % instanceIds.length]!;
      n += 1;
      for (let attempt = 0; ; attempt++) {
        const node = nodes[(n + attempt) % nodes.length]!;
        const posted = await node.api
          .post<{ message_id: string }>(`/v1/instances/${instanceId}/messages`, { to: '4915100000009', body: { type: 'text', text: clientRef }, client_ref: clientRef })
          .catch(() => null);
        if (posted !== null && (posted.status === 202 || posted.status === 200)) {
          accepted.push(posted.body.message_id);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  })();
  return {
    accepted,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

// Skips only without a Redis (never in CI, where TEST_REQUIRE_INFRA=1): several nodes share one queue.
describe.skipIf(redisUrl === null)('nodes stopping under a steady send load', () => {
  it('sends every message accepted meanwhile exactly once, in acceptance order per instance, without a QR', async () => {
    const instanceIds: string[] = [];
    for (let i = 0; i < INSTANCES; i++) instanceIds.push(await connectSandboxInstance(nodes[i % 3]!.api, `rolling-${i}`));
    await waitUntilPlaced(database.url, instanceIds, nodes.map((n) => n.id), 30_000);
    const qrBefore = (await queryDatabase(database.url, `SELECT 1 FROM audit_events WHERE data ->> 'to' = 'qr_required'`)).length;

    const sender = startSending(instanceIds);
    for (let i = 0; i < 3; i++) {
      const leaving = nodes[0]!;
      nodes = nodes.slice(1);
      const code = await leaving.server.stop('SIGTERM');
      expect(code, leaving.server.output().split('\n').filter((line) => /"level":(40|50)|shutting|stopped/.test(line)).join('\n').slice(-4000)).toBe(0);
      nodes.push(await startNode());
      await waitUntilPlaced(database.url, instanceIds, nodes.map((n) => n.id), 30_000);
    }
    await sender.stop();
    await expectEachSentOnceInOrder(database.url, sender.accepted, instanceIds);
    const qrAfter = (await queryDatabase(database.url, `SELECT 1 FROM audit_events WHERE data ->> 'to' = 'qr_required'`)).length;
    expect(qrAfter).toBe(qrBefore);
    expect(overlappingSockets(socketEvents(everyServer))).toEqual([]);
  }, 240_000);

  it('sends every message accepted before and during the failover of a node killed with SIGKILL once, in order', async () => {
    const instanceIds = (await queryDatabase<{ id: string }>(database.url, `SELECT id FROM instances ORDER BY id`)).map((row) => row.id);
    await waitUntilPlaced(database.url, instanceIds, nodes.map((n) => n.id), 30_000);
    const sender = startSending(instanceIds, 'k');
    await until(() => sender.accepted.length >= 10, { timeoutMs: 30_000, message: () => 'the client could not post' });
    const victim = nodes[0]!;
    nodes = nodes.slice(1);
    await victim.server.stop('SIGKILL');
    const killedAt = Date.now();
    await waitUntilPlaced(database.url, instanceIds, nodes.map((n) => n.id), 30_000);
    await until(() => sender.accepted.length >= 40, { timeoutMs: 30_000, message: () => 'the client could not post after the failover' });
    await sender.stop();
    await expectEachSentOnceInOrder(database.url, sender.accepted, instanceIds);
    expect(overlappingSockets(socketEvents(everyServer), new Map([[victim.id, killedAt]]))).toEqual([]);
  }, 240_000);
});
