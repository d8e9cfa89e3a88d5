/*
 * Outbox jobs go to the node that runs the instance. Every node drains the shared `message-outbox` queue and
 * a queue of its own (`message-outbox-<node id>`). A node that takes a shared job for an instance another
 * live node holds the lease of hands the job to that node's queue and is done with it; the owner drains it
 * there. Without this, a non-owner could only defer the job (250 ms) and hope the owner takes it next, a
 * bounce that grows with the number of nodes.
 *
 * Nothing is lost when a hand-off goes wrong: the messages are in Postgres, and the outbox sweeper wakes every
 * outbox with due messages on the shared queue again (a node that died with jobs in its own queue, or a lease
 * that moved meanwhile: the owner's drain then finds the instance elsewhere and hands it on, or defers). Two
 * drains of one instance at once are harmless: the head-of-line claim in Postgres serialises them.
 *
 * A node's queue is named after its id, which is new at every start: a stopped node's queue is left empty in
 * Redis (a few keys), and its producer handle here is closed once that node is no longer live.
 */
import { outboxJobId, type Clock, type NodeRegistry, type SessionLeaseRepository } from '@whatisup/core';
import type { Logger } from 'pino';
import type { BackendJobQueue, OutageWording, QueueBackend } from '../embedded/create-queue-backend.js';

export interface OutboxRoutingDeps {
  readonly queues: Pick<QueueBackend, 'jobQueue'>;
  readonly nodeId: string;
  readonly leases: Pick<SessionLeaseRepository, 'find'>;
  readonly registry: Pick<NodeRegistry, 'listLive'>;
  readonly clock: Clock;
  /** A node is live while its heartbeat is younger than this (the lease TTL). */
  readonly liveWithinMs: number;
  readonly logger: Logger;
  readonly outage?: OutageWording;
}

export interface OutboxRouting {
  /** This node's own queue: the jobs other nodes hand to it. */
  readonly ownQueue: BackendJobQueue;
  /** Hands the instance's outbox job to the live node that holds its lease; false when that is this node or none. */
  handOff(instanceId: string): Promise<boolean>;
  close(): Promise<void>;
}

export const nodeOutboxQueueName = (nodeId: string): string => `message-outbox-${nodeId}`;

export function createOutboxRouting(deps: OutboxRoutingDeps): OutboxRouting {
  const open = (nodeId: string) => deps.queues.jobQueue(nodeOutboxQueueName(nodeId), { stalled: { lockMs: 30_000, checkIntervalMs: 15_000 }, ...(deps.outage && { outage: deps.outage }) });
  const ownQueue = open(deps.nodeId);
  const others = new Map<string, BackendJobQueue>();

  async function liveOwner(instanceId: string): Promise<string | null> {
    const lease = await deps.leases.find(instanceId);
    const now = deps.clock.now();
    if (lease?.nodeId == null || lease.nodeId === deps.nodeId || lease.expiresAt <= now) return null;
    const live = new Set((await deps.registry.listLive(new Date(now.getTime() - deps.liveWithinMs))).map((node) => node.id));
    for (const [nodeId, queue] of others) {
      if (live.has(nodeId)) continue;
      others.delete(nodeId);
      queue.close().catch((error: unknown) => deps.logger.debug({ err: error, node: nodeId }, 'could not close the outbox queue of a node that left'));
    }
    return live.has(lease.nodeId) ? lease.nodeId : null;
  }

  return {
    ownQueue,
    async handOff(instanceId) {
      const owner = await liveOwner(instanceId);
      if (owner === null) return false;
      let queue = others.get(owner);
      if (queue === undefined) others.set(owner, (queue = open(owner)));
      await queue.enqueue([{ id: outboxJobId(instanceId) }]);
      deps.logger.debug({ instance_id: instanceId, owner }, 'handed an outbox job to the node that runs the instance');
      return true;
    },
    async close() {
      await Promise.all([ownQueue, ...others.values()].map((queue) => queue.close()));
      others.clear();
    },
  };
}
