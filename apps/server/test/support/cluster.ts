/*
 * Several real server processes on one Postgres and one Redis: what a test needs to watch them as a
 * cluster. Each node logs its id when it registers and every session socket it opens or closes (debug
 * level, with the lease epoch); Postgres says who holds which lease.
 */
import { rankNodes } from '@whatisup/core';
import { until } from '@whatisup/test-infra';
import type { ServerProcess } from './processes.js';
import { queryDatabase } from './query-database.js';

interface LogLine {
  readonly msg?: string;
  readonly time?: number | string;
  readonly node_id?: string;
  readonly instance_id?: string;
  readonly epoch?: number | null;
}

function logLines(server: ServerProcess): LogLine[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
}

/** The node id the server logged when it registered. */
export async function nodeIdOf(server: ServerProcess): Promise<string> {
  let id: string | undefined;
  await until(() => (id = logLines(server).find((line) => line.msg === 'node registered')?.node_id) !== undefined, {
    timeoutMs: 30_000,
    message: () => `the server never registered as a node:\n${server.output().slice(-2000)}`,
  });
  return id!;
}

export interface SocketEvent {
  readonly instanceId: string;
  readonly nodeId: string;
  readonly epoch: number | null;
  readonly open: boolean;
  readonly at: number;
}

/** Every socket open and close the servers logged, oldest first. */
export function socketEvents(servers: readonly ServerProcess[]): SocketEvent[] {
  return servers
    .flatMap((server) => logLines(server))
    .filter((line) => line.msg === 'session socket opened' || line.msg === 'session socket closed')
    .map((line) => ({
      instanceId: line.instance_id!,
      nodeId: line.node_id!,
      epoch: line.epoch ?? null,
      open: line.msg === 'session socket opened',
      at: typeof line.time === 'string' ? Date.parse(line.time) : line.time!,
    }))
    .sort((a, b) => a.at - b.at || Number(a.open) - Number(b.open));
}

/**
 * Instances that had sockets open on two nodes at once. `deadFrom` names nodes whose sockets stopped being
 * live at a moment: a node killed then (every socket went with the process), or paused then past its
 * leases (frozen, then fenced: it can neither send nor write until it closes them). Closes sort before
 * opens of the same millisecond: a node logs the close before it frees the lease, the next node the open
 * after taking it.
 */
export function overlappingSockets(events: readonly SocketEvent[], deadFrom: ReadonlyMap<string, number> = new Map()): string[] {
  const instances = new Set(events.map((event) => event.instanceId));
  const all = [...events];
  for (const [nodeId, at] of deadFrom) {
    for (const instanceId of instances) all.push({ instanceId, nodeId, epoch: null, open: false, at });
  }
  all.sort((a, b) => a.at - b.at || Number(a.open) - Number(b.open));
  const openOn = new Map<string, Set<string>>();
  const overlapping = new Set<string>();
  for (const event of all) {
    const nodes = openOn.get(event.instanceId) ?? new Set<string>();
    openOn.set(event.instanceId, nodes);
    if (!event.open) {
      nodes.delete(event.nodeId);
    } else {
      if ([...nodes].some((node) => node !== event.nodeId)) overlapping.add(event.instanceId);
      nodes.add(event.nodeId);
    }
  }
  return [...overlapping];
}

export interface LeaseRow extends Record<string, unknown> {
  readonly instance_id: string;
  readonly node_id: string | null;
  readonly epoch: number;
  readonly held: boolean;
  readonly status: string;
}

/** Every lease with its instance's status, as Postgres has them now. */
export function leasesOf(databaseUrl: string): Promise<LeaseRow[]> {
  return queryDatabase<LeaseRow>(
    databaseUrl,
    `SELECT l.instance_id, l.node_id, l.epoch::int AS epoch, l.expires_at > now() AS held, i.status
       FROM session_leases l JOIN instances i ON i.id = l.instance_id ORDER BY l.instance_id`,
  );
}

/**
 * Which node each instance belongs to once all of them are connected: placement's own rule, in instance id
 * order each goes to its best-ranked node that still has room (`maxSessions`, as MAX_SESSIONS_PER_NODE).
 * Only right when these are all the instances that should run.
 */
export function placementOf(instanceIds: readonly string[], nodeIds: readonly string[], maxSessions = Number.POSITIVE_INFINITY): Map<string, string> {
  const load = new Map(nodeIds.map((id) => [id, 0]));
  const owners = new Map<string, string>();
  for (const id of [...instanceIds].sort()) {
    const owner = rankNodes(nodeIds, id).find((node) => load.get(node)! < maxSessions);
    if (owner === undefined) continue;
    load.set(owner, load.get(owner)! + 1);
    owners.set(id, owner);
  }
  return owners;
}

/**
 * Waits until every instance is connected under a lease held by the node placement picks among `nodeIds`
 * (`placementOf`; without `maxSessions`, simply the node rendezvous hashing ranks first): placement has settled.
 */
export async function waitUntilPlaced(
  databaseUrl: string,
  instanceIds: readonly string[],
  nodeIds: readonly string[],
  timeoutMs: number,
  maxSessions?: number,
): Promise<LeaseRow[]> {
  const owners = placementOf(instanceIds, nodeIds, maxSessions);
  let rows: LeaseRow[] = [];
  let misplaced: unknown[] = [];
  await until(
    async () => {
      const all = new Map((await leasesOf(databaseUrl)).map((row) => [row.instance_id, row]));
      rows = instanceIds.map((id) => all.get(id)!).filter((row) => row !== undefined);
      misplaced = instanceIds.filter((id) => {
        const row = all.get(id);
        return row === undefined || !row.held || row.status !== 'connected' || row.node_id !== owners.get(id);
      }).map((id) => all.get(id) ?? id);
      return misplaced.length === 0;
    },
    { timeoutMs, intervalMs: 100, message: () => `not placed yet: ${JSON.stringify(misplaced.slice(0, 5))} (${misplaced.length} of ${instanceIds.length})` },
  );
  return rows;
}
