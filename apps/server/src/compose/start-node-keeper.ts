/*
 * This process as a node of the cluster: its id, its leases and the keeper that renews them and places
 * instances (see packages/core/src/cluster). A single process is a cluster of one: it takes every
 * instance, and after a clean stop the next start finds every lease free; after a crash it waits for the
 * dead process's leases to expire (SESSION_LEASE_TTL_MS) before resuming.
 *
 * Three loops: renew (heartbeat and leases) every third of the TTL; enforce (close sessions whose lease
 * ran out locally) every second at most; place every third of the TTL. Stopping: the loops stop first,
 * then the sessions close (the caller's stop step), then `release` frees every lease and deregisters, so
 * the other nodes can resume these instances at once.
 */
import { createNodeKeeper, createSessionOwnership, newId, type NodeRegistry, type ResumeReport, type NodeSessions, type SessionOwnership } from '@whatisup/core';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import type { Foundation } from './create-foundation.js';
import { every } from './every.js';

/** The node's id and its lease table: made before the session manager, which starts sessions under it. */
export function createNodeOwnership(config: Pick<Config, 'sessions'>, deps: Pick<Foundation, 'uow' | 'clock'>): SessionOwnership {
  return createSessionOwnership({ uow: deps.uow, clock: deps.clock, nodeId: newId('node'), ttlMs: config.sessions.leaseTtlMs });
}

export interface RunningNodeKeeper {
  /** Stops the loops; sessions keep running (close them next). */
  stopLoops(): Promise<void>;
  /** Frees every lease of this node and deregisters it; call once its sessions are closed. */
  release(): Promise<void>;
}

export async function startNodeKeeper(
  config: Pick<Config, 'sessions'>,
  logger: Logger,
  deps: Pick<Foundation, 'uow' | 'clock'> & {
    readonly registry: NodeRegistry;
    /** Where the other nodes forward requests for this node's sessions; null: nowhere. */
    readonly address: string | null;
    readonly ownership: SessionOwnership;
    readonly sessions: NodeSessions & { adopt: (...args: Parameters<NodeSessions['adopt']>) => Promise<ResumeReport> };
  },
): Promise<RunningNodeKeeper> {
  const ttlMs = config.sessions.leaseTtlMs;
  const keeper = createNodeKeeper({
    registry: deps.registry,
    leases: deps.uow.repos.leases,
    ownership: deps.ownership,
    sessions: {
      handOver: (instanceId) => deps.sessions.handOver(instanceId),
      drop: (instanceId) => deps.sessions.drop(instanceId),
      retire: (instanceId) => deps.sessions.retire(instanceId),
      adopt: async (instances, options) => {
        const report = await deps.sessions.adopt(instances, options);
        logger.info(report, 'resumed sessions');
        return report;
      },
    },
    clock: deps.clock,
    node: { address: deps.address, maxSessions: config.sessions.maxPerNode },
    onEvent: (event) => {
      if (event.type === 'placed') logger.info(event, 'placed sessions');
      else logger.warn({ type: event.type, instance_ids: event.instanceIds }, event.type === 'lost'
        ? 'session leases were taken over by another node; their sessions here are closed'
        : 'session leases could not be renewed in time; their sessions here are closed');
    },
  });
  await keeper.start();
  logger.info({ node_id: keeper.nodeId, address: deps.address, lease_ttl_ms: ttlMs }, 'node registered');
  const third = Math.floor(ttlMs / 3);
  const stopRenewing = every(third, () => keeper.renew(), (error) => logger.warn({ err: error }, 'renewing the session leases failed; retrying'));
  const stopEnforcing = every(Math.min(1_000, Math.floor(ttlMs / 10)), () => keeper.enforce(), (error) =>
    logger.error({ err: error }, 'closing expired sessions failed'),
  );
  const stopPlacing = every(third, () => keeper.place(), (error) => logger.warn({ err: error }, 'placing sessions failed; retrying'));
  let placing: Promise<void> = Promise.resolve();
  return {
    async stopLoops() {
      // A placement round may be resuming sessions for a while: closing the sessions ends it, so it is
      // waited for only after that, in `release`.
      placing = stopPlacing();
      await Promise.all([stopRenewing(), stopEnforcing()]);
    },
    async release() {
      await placing;
      await keeper.stop();
    },
  };
}

/** The address the server listens on, unless it is a wildcard no other node could dial (then null). */
export function reachableAddress(listening: string): string | null {
  const { hostname } = new URL(listening);
  return ['0.0.0.0', '[::]', '::'].includes(hostname) ? null : listening.replace(/\/+$/, '');
}
