/*
 * Three real server processes on one Postgres and one Redis, sharing 24 sandbox instances. Every socket
 * open and close is logged by the nodes with their lease epoch; the test checks from those logs that no
 * instance ever had sockets on two nodes at once, and from Postgres who holds which lease.
 *
 * 1. Instances connected through any node end up on the node rendezvous hashing picks, each on one.
 * 2. kill -9 of a node: once its leases expire, its instances resume on the others under a higher epoch.
 * 3. SIGSTOP of a node until the others took its instances, then SIGCONT: it closes its sockets, and
 *    nothing it holds afterwards carries an epoch from before the pause.
 * 4. Restart, sandbox inbound, a send and logout posted to a node that does not run the instance work: the
 *    requests are forwarded to the owner, and the message goes out once, from the owner.
 * 5. SIGTERM of a node: it frees its leases on the way out, and the others resume its instances without
 *    a QR.
 */
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { leasesOf, nodeIdOf, overlappingSockets, socketEvents, waitUntilPlaced } from './support/cluster.js';
import { connectSandboxInstance, waitUntilConnected } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { queryDatabase } from './support/query-database.js';
import { sharedRedisOrSkip } from './support/redis-for-servers.js';

const INSTANCES = 24;
const LEASE_TTL_MS = 5_000;
/** The bound the cluster promises for a dead node's instances: its leases expire, then a placement round. */
const FAILOVER_BOUND_MS = LEASE_TTL_MS + 10_000;

interface Node {
  readonly server: ServerProcess;
  readonly id: string;
  readonly api: ApiClient;
}

let database: TestDatabase;
let env: TestEnv;
let key: string;
const nodes: Node[] = [];
const everyServer: ServerProcess[] = [];
/** Nodes whose sockets stopped being live at a moment (killed, or paused past their leases). */
const deadFrom = new Map<string, number>();
let instanceIds: string[] = [];

async function startNode(): Promise<Node> {
  const server = await startServer(env);
  everyServer.push(server);
  key ??= await bootstrapKeyOf(server);
  const node = { server, id: await nodeIdOf(server), api: createApiClient(server.url, key) };
  nodes.push(node);
  return node;
}

const live = () => nodes.filter((node) => node.server.child.exitCode === null && node.server.child.signalCode === null);
const holders = async () => {
  const counts = new Map<string, number>();
  for (const row of await leasesOf(database.url)) if (row.held && row.node_id !== null) counts.set(row.node_id, (counts.get(row.node_id) ?? 0) + 1);
  return counts;
};

/** No instance had sockets on two nodes at once; on failure, the socket history of the first that did. */
function expectNoOverlap(): void {
  const events = socketEvents(everyServer);
  const overlapping = overlappingSockets(events, deadFrom);
  const history = events.filter((event) => event.instanceId === overlapping[0]);
  expect(overlapping, JSON.stringify(history)).toEqual([]);
}

const redisUrl = sharedRedisOrSkip('nodes-run-each-sandbox-instance-once-through-kill-9-sigstop-and-sigterm', 'several nodes share one queue, which takes a Redis');

beforeAll(async () => {
  if (redisUrl === null) return;
  database = await createTestDatabase();
  env = testEnv(database.url, redisUrl, {
    REDIS_PREFIX: uniqueRedisPrefix('cluster'),
    SESSION_LEASE_TTL_MS: String(LEASE_TTL_MS),
    SESSION_RESUME_PER_SECOND: '200',
    SANDBOX_AUTO_SCAN_MS: '50',
    LOG_LEVEL: 'debug',
  });
  await startNode();
  await startNode();
  await startNode();
}, 120_000);

afterAll(async () => {
  await Promise.all(everyServer.map((server) => server.stop('SIGKILL')));
  await database?.drop();
});

// Skips only without a Redis (never in CI, where TEST_REQUIRE_INFRA=1): several nodes share one queue.
describe.skipIf(redisUrl === null)('three nodes sharing sandbox instances', () => {
  it('runs each instance on exactly one node, the one rendezvous hashing picks', async () => {
    // Connected through every node in turn: each starts the session where it was asked, then placement moves it.
    for (let i = 0; i < INSTANCES; i++) instanceIds.push(await connectSandboxInstance(nodes[i % 3]!.api, `cluster-${i}`));
    await waitUntilPlaced(database.url, instanceIds, nodes.map((n) => n.id), 30_000);
    const counts = await holders();
    for (const node of nodes) expect(counts.get(node.id) ?? 0, node.id).toBeGreaterThan(0);
    expectNoOverlap();
  }, 90_000);

  it('resumes the instances of a node killed with SIGKILL on the others, under a higher epoch', async () => {
    const counts = await holders();
    const victim = [...nodes].sort((a, b) => (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0))[0]!;
    const before = new Map((await leasesOf(database.url)).map((row) => [row.instance_id, row]));
    await victim.server.stop('SIGKILL');
    deadFrom.set(victim.id, Date.now());

    const after = await waitUntilPlaced(database.url, instanceIds, live().map((n) => n.id), FAILOVER_BOUND_MS);
    const moved = after.filter((row) => before.get(row.instance_id)!.node_id === victim.id);
    expect(moved.length).toBe(counts.get(victim.id));
    for (const row of moved) expect(row.epoch, row.instance_id).toBeGreaterThan(before.get(row.instance_id)!.epoch);
    expectNoOverlap();
  }, 60_000);

  it('makes a node paused past its leases close its sockets and write nothing when it wakes up', async () => {
    const [paused, other] = live() as [Node, Node];
    paused.server.child.kill('SIGSTOP');
    const pausedAt = Date.now();
    try {
      await waitUntilPlaced(database.url, instanceIds, [other.id], FAILOVER_BOUND_MS);
    } finally {
      paused.server.child.kill('SIGCONT');
    }
    // Its sockets count as dead from the pause: frozen, then fenced until it closes them (checked below).
    deadFrom.set(paused.id, pausedAt);
    const atWake = new Map((await leasesOf(database.url)).map((row) => [row.instance_id, row]));

    // It finds its leases gone (taken over, or run out locally) and closes every socket it had.
    await until(
      () => {
        const mine = socketEvents([paused.server]);
        return mine.filter((e) => e.open).length === mine.filter((e) => !e.open).length;
      },
      { timeoutMs: 15_000, message: () => `the woken node still has sockets open:\n${paused.server.output().slice(-2000)}` },
    );
    expect(paused.server.output()).toMatch(/session leases (were taken over by another node|could not be renewed in time)/);
    // Once live again it may be given instances back, but only by new grants: no lease it holds carries an
    // epoch from before it was paused, and no instance lost its connection.
    for (const row of await leasesOf(database.url)) {
      if (!instanceIds.includes(row.instance_id)) continue;
      expect(row.status, row.instance_id).not.toBe('disconnected');
      expect(row.epoch, row.instance_id).toBeGreaterThanOrEqual(atWake.get(row.instance_id)!.epoch);
      if (row.node_id === paused.id) expect(row.epoch, row.instance_id).toBeGreaterThan(atWake.get(row.instance_id)!.epoch);
    }
    expectNoOverlap();
  }, 60_000);

  it('serves restart, sandbox inbound, a send and logout posted to a node that does not run the instance', async () => {
    const rows = await waitUntilPlaced(database.url, instanceIds, live().map((n) => n.id), 30_000);
    const [instanceId, ownerId] = [rows[0]!.instance_id, rows[0]!.node_id];
    const other = live().find((node) => node.id !== ownerId)!;

    const restarted = await other.api.post<{ status: string }>(`/v1/instances/${instanceId}/restart`);
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(202);
    await waitUntilConnected(other.api, instanceId);
    const inbound = await other.api.post(`/v1/instances/${instanceId}/sandbox/inbound`, { from: '4915100000001', body: { type: 'text', text: 'hi' } });
    expect(inbound.status, JSON.stringify(inbound.body)).toBe(201);

    const posted = await other.api.post<{ message_id: string }>(`/v1/instances/${instanceId}/messages`, { to: '4915100000002', body: { type: 'text', text: 'through a non-owner' } });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    let status = 'queued';
    await until(
      async () => {
        const read = await other.api.get<{ status: string }>(`/v1/messages/${posted.body.message_id}`);
        if (read.status !== 200) return false;
        status = read.body.status;
        return status !== 'queued';
      },
      { timeoutMs: 15_000, intervalMs: 100, message: () => `the message is still ${status}` },
    );
    expect(['sent', 'delivered', 'read']).toContain(status);
    const sentBy = await queryDatabase<{ n: string }>(database.url, `SELECT count(*) AS n FROM message_status_history WHERE message_id = $1 AND status = 'sent'`, [posted.body.message_id]);
    expect(Number(sentBy[0]!.n)).toBe(1);

    const loggedOut = await other.api.post<{ status: string }>(`/v1/instances/${instanceId}/logout`);
    expect(loggedOut.status, JSON.stringify(loggedOut.body)).toBe(200);
    expect(loggedOut.body.status).toBe('disconnected');
    expect((await leasesOf(database.url)).find((row) => row.instance_id === instanceId)).toMatchObject({ held: false });
    instanceIds = instanceIds.filter((id) => id !== instanceId);
    expectNoOverlap();
  }, 60_000);

  it('hands the instances of a node stopped with SIGTERM to the others, freeing its leases and showing no QR', async () => {
    await waitUntilPlaced(database.url, instanceIds, live().map((n) => n.id), 30_000);
    const [leaving, staying] = live() as [Node, Node];
    const qrBefore = await queryDatabase(database.url, `SELECT 1 FROM audit_events WHERE data ->> 'to' = 'qr_required'`);
    expect(await leaving.server.stop('SIGTERM')).toBe(0);
    // Freed on the way out, not left to expire.
    expect((await leasesOf(database.url)).filter((row) => row.node_id === leaving.id)).toEqual([]);
    await waitUntilPlaced(database.url, instanceIds, [staying.id], 30_000);
    const qrAfter = await queryDatabase(database.url, `SELECT 1 FROM audit_events WHERE data ->> 'to' = 'qr_required'`);
    expect(qrAfter.length).toBe(qrBefore.length);
    expectNoOverlap();
  }, 60_000);
});
