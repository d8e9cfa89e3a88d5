/*
 * The failover scenario (`pnpm bench -- --scenario failover`): two nodes on one database share N sandbox
 * instances (1,000; 100 with --quick). It reports how many each node runs and their resident memory once
 * everything is connected (RSS per 1,000 sessions), then kills the second node with SIGKILL and times how
 * long until every instance is connected again on the survivor: the lease TTL, a placement round, and the
 * resume of the instances it takes (SESSION_RESUME_PER_SECOND), all in the figure.
 *
 * Then a restart: the survivor stops with SIGTERM (it closes its sockets and releases its leases) and a fresh
 * node starts on the same database. It resumes every instance from Postgres with no API request at all, so its
 * RSS once they are connected is what the sessions cost without the heap an API burst leaves behind (the first
 * figure includes that burst). Reported: the time from the fresh node's start until every instance is connected
 * under its lease, and its RSS per 1,000 sessions against the first node's idle RSS.
 */
import { performance } from 'node:perf_hooks';
import type { BenchClient } from '../bench-client.js';
import { queryDatabase } from '../../test/support/query-database.js';
import { readMemory, sleep, startServerProcess, type ServerBuild, type ServerProcess } from '../server-process.js';
import { runBounded } from '../stats.js';

/** Server settings of this scenario: room for every instance on one node, a short TTL, a fast resume. */
export const FAILOVER_SCENARIO_SETTINGS: Record<string, string> = {
  MAX_SESSIONS_PER_NODE: '5000',
  SESSION_LEASE_TTL_MS: '5000',
  SESSION_RESUME_PER_SECOND: '200',
  SANDBOX_AUTO_SCAN_MS: '50',
};

export interface FailoverScenarioResult {
  readonly instances: number;
  readonly settings: Record<string, string>;
  /** Time from the first create until every instance was connected under a lease. */
  readonly connectAllMs: number;
  readonly nodes: ReadonlyArray<{ readonly sessions: number; readonly rssMiB: number; readonly idleRssMiB: number }>;
  /** (RSS connected − RSS idle) per 1,000 sessions, per node, in MiB. */
  readonly rssMiBPer1000Sessions: ReadonlyArray<number>;
  /** The killed node's sessions, and the time from SIGKILL until every instance was connected again. */
  readonly failover: { readonly moved: number; readonly ms: number };
  /**
   * A fresh node after the survivor's SIGTERM: time from its spawn until every instance was connected under its
   * lease (its own start included), its RSS then, and (RSS − the first node's idle RSS) per 1,000 sessions.
   */
  readonly restart: {
    readonly ms: number;
    /** From the spawn to the node answering its health check, to its first instance connected, to half of them. */
    readonly readyMs: number;
    readonly firstMs: number;
    readonly halfMs: number;
    readonly rssMiB: number; readonly rssMiBPer1000Sessions: number; readonly heap: HeapReading };
}

/** What the fresh node's own `/metrics` says of its memory (prom-client's process metrics), in MiB. */
export interface HeapReading {
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
}

async function readHeap(url: string): Promise<HeapReading> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return {
    heapUsedMiB: gauge('nodejs_heap_size_used_bytes'),
    heapTotalMiB: gauge('nodejs_heap_size_total_bytes'),
    externalMiB: gauge('nodejs_external_memory_bytes'),
  };
}

interface LeaseCount extends Record<string, unknown> {
  node_id: string;
  n: number;
}

export async function runFailoverScenario(
  client: BenchClient,
  options: {
    readonly databaseUrl: string;
    readonly env: Record<string, string>;
    readonly build: ServerBuild;
    /** Node flags of the nodes this scenario starts (`--profile`: each writes a CPU profile when it exits). */
    readonly nodeArgs?: readonly string[];
    readonly first: ServerProcess;
    readonly instances: number;
    readonly onCleanup: (what: string, run: () => Promise<unknown>) => void;
  },
): Promise<FailoverScenarioResult> {
  const idleFirst = readMemory(options.first.pid).rssMiB;
  const second = await startServerProcess(options.env, { build: options.build, nodeArgs: options.nodeArgs ?? [] });
  options.onCleanup('stop the second node', () => second.stop());
  const idleSecond = readMemory(second.pid).rssMiB;
  const nodeIds = await queryDatabase<{ id: string }>(options.databaseUrl, 'SELECT id FROM nodes ORDER BY started_at');
  const secondId = nodeIds.at(-1)!.id;

  const started = performance.now();
  await runBounded(options.instances, 16, async (index) => {
    const created = await client.call<{ id: string }>('POST', '/v1/instances', { name: `failover-${index}`, kind: 'sandbox' });
    if (created.status !== 201) throw new Error(`creating an instance answered ${created.status}`);
    const connecting = await client.call('POST', `/v1/instances/${created.body.id}/connect`);
    if (connecting.status >= 300) throw new Error(`connecting an instance answered ${connecting.status}: ${JSON.stringify(connecting.body)}`);
  });
  // Placement spreads them over both nodes; settled once every instance is connected under a lease and
  // the second node runs its share.
  await waitUntil(async () => {
    const counts = await connectedByNode(options.databaseUrl);
    return sum(counts) === options.instances && counts.some((row) => row.node_id === secondId);
  }, 600_000, 'every instance connected on two nodes');
  const connectAllMs = performance.now() - started;
  await sleep(2_000); // let the last handovers settle before reading memory
  const counts = await connectedByNode(options.databaseUrl);
  const sessionsOf = (id: string) => counts.find((row) => row.node_id === id)?.n ?? 0;
  const firstId = nodeIds[0]!.id;
  const nodes = [
    { sessions: sessionsOf(firstId), rssMiB: readMemory(options.first.pid).rssMiB, idleRssMiB: idleFirst },
    { sessions: sessionsOf(secondId), rssMiB: readMemory(second.pid).rssMiB, idleRssMiB: idleSecond },
  ];

  process.kill(second.pid, 'SIGKILL');
  const killed = performance.now();
  await waitUntil(async () => {
    const now = await connectedByNode(options.databaseUrl);
    return now.length === 1 && now[0]!.node_id === firstId && now[0]!.n === options.instances;
  }, 600_000, 'every instance connected again on the survivor');
  const failoverMs = performance.now() - killed;

  const stopped = await options.first.stop();
  if (stopped !== 0) throw new Error(`the first node exited ${stopped} on SIGTERM`);
  const spawned = performance.now();
  const fresh = await startServerProcess(options.env, { build: options.build, nodeArgs: options.nodeArgs ?? [] });
  options.onCleanup('stop the restarted node', () => fresh.stop());
  const readyMs = performance.now() - spawned;
  const freshId = (await queryDatabase<{ id: string }>(options.databaseUrl, 'SELECT id FROM nodes ORDER BY started_at')).at(-1)!.id;
  // When the first and the middle instance came back: ready → first is the wait for placement, first →
  // all is the resuming itself.
  let firstMs: number | null = null;
  let halfMs: number | null = null;
  await waitUntil(async () => {
    const now = await connectedByNode(options.databaseUrl);
    const mine = now.find((row) => row.node_id === freshId)?.n ?? 0;
    if (mine > 0) firstMs ??= performance.now() - spawned;
    if (mine >= options.instances / 2) halfMs ??= performance.now() - spawned;
    return now.length === 1 && mine === options.instances;
  }, 120_000, 'every instance connected again on the restarted node', () => statusesAndHolders(options.databaseUrl));
  const restartMs = performance.now() - spawned;
  await sleep(2_000); // as above: the same settling before reading memory
  const restartRss = readMemory(fresh.pid).rssMiB;
  const heap = await readHeap(fresh.url);

  return {
    instances: options.instances,
    settings: FAILOVER_SCENARIO_SETTINGS,
    connectAllMs,
    nodes,
    rssMiBPer1000Sessions: nodes.map((node) => (node.sessions === 0 ? NaN : ((node.rssMiB - node.idleRssMiB) * 1000) / node.sessions)),
    failover: { moved: nodes[1]!.sessions, ms: failoverMs },
    restart: { ms: restartMs, readyMs, firstMs: firstMs ?? restartMs, halfMs: halfMs ?? restartMs, rssMiB: restartRss, rssMiBPer1000Sessions: ((restartRss - idleFirst) * 1000) / options.instances, heap },
  };
}

/** Connected instances per lease holder (unexpired leases only). */
function connectedByNode(databaseUrl: string): Promise<LeaseCount[]> {
  return queryDatabase<LeaseCount>(
    databaseUrl,
    `SELECT l.node_id, count(*)::int AS n FROM session_leases l JOIN instances i ON i.id = l.instance_id
      WHERE i.status = 'connected' AND l.node_id IS NOT NULL AND l.expires_at > now() GROUP BY l.node_id`,
  );
}

const sum = (rows: readonly LeaseCount[]) => rows.reduce((total, row) => total + row.n, 0);

/** How many instances are in each status, by lease holder: what a timed-out wait says it saw. */
async function statusesAndHolders(databaseUrl: string): Promise<string> {
  const rows = await queryDatabase<{ status: string; node_id: string | null; live: boolean; n: number }>(
    databaseUrl,
    `SELECT i.status, l.node_id, coalesce(l.expires_at > now(), false) AS live, count(*)::int AS n
       FROM instances i LEFT JOIN session_leases l ON l.instance_id = i.id GROUP BY 1, 2, 3 ORDER BY 4 DESC`,
  );
  return JSON.stringify(rows);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string, describe?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${describe === undefined ? '' : `: ${await describe()}`}`);
    await sleep(100);
  }
}

export function formatFailoverReport(result: FailoverScenarioResult, header: readonly string[]): string {
  const mib = (value: number) => `${value.toFixed(1)} MiB`;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    ...header,
    `settings: ${Object.entries(result.settings).map(([name, value]) => `${name}=${value}`).join(' ')}`,
    `${result.instances} sandbox instances connected on two nodes in ${(result.connectAllMs / 1000).toFixed(1)} s`,
    ...result.nodes.map(
      (node, i) =>
        `node ${i + 1}: ${node.sessions} sessions, RSS ${mib(node.rssMiB)} (idle ${mib(node.idleRssMiB)}), ` +
        `${mib(result.rssMiBPer1000Sessions[i]!)} per 1,000 sessions`,
    ),
    `kill -9 of node 2: its ${result.failover.moved} instances connected again on node 1 after ${(result.failover.ms / 1000).toFixed(1)} s`,
    `SIGTERM of node 1, then a fresh node: all ${result.instances} connected again ${(result.restart.ms / 1000).toFixed(1)} s after it was spawned; ` +
      `(ready ${seconds(result.restart.readyMs)}, first connected ${seconds(result.restart.firstMs)}, half ${seconds(result.restart.halfMs)}); ` +
      `RSS ${mib(result.restart.rssMiB)}, ${mib(result.restart.rssMiBPer1000Sessions)} per 1,000 sessions (no API requests); ` +
      `V8 heap ${mib(result.restart.heap.heapUsedMiB)} used of ${mib(result.restart.heap.heapTotalMiB)}, external ${mib(result.restart.heap.externalMiB)}`,
  ].join('\n');
}
