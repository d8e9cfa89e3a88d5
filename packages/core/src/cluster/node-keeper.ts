/*
 * Keeps this node's part of the cluster: its registration and heartbeat, its leases, and its share of the
 * instances. Three steps, each scheduled by the caller on its own timer so a slow one cannot starve the
 * others:
 *
 * - `renew` (every ttl/3): heartbeat, renew every lease; sessions whose lease was lost (taken over after
 *   this node was paused or cut off) are dropped at once, without touching their status (the new owner
 *   owns that now).
 * - `enforce` (often, e.g. every second): sessions whose lease ran out locally (renewals kept failing) are
 *   closed before the lease can expire in Postgres, so two nodes never run one number at a time.
 * - `place` (every ttl/3, never two at once): read the live nodes and the candidates, log out the sessions
 *   of instances deleted meanwhile, plan (see plan-placement.ts), hand over what belongs elsewhere, then
 *   resume what belongs here (staggered, each start claims its lease first, so a lost race only skips that
 *   instance).
 *
 * `stop` runs after the sessions were closed: it frees every lease at once (the others need not wait for
 * them to expire) and deregisters.
 */
import type { Clock } from '../shared/index.js';
import type { Instance } from '../instances/instance.js';
import type { ClusterNode, NodeRegistry } from './cluster-node.js';
import { planPlacement } from './plan-placement.js';
import type { SessionLeaseRepository } from './session-lease-repository.js';
import type { SessionOwnership } from './session-ownership.js';

/** What the keeper asks of the node's session manager. */
export interface NodeSessions {
  /**
   * Starts sessions for these instances (resume, no QR), staggered; each claims its lease first.
   * `soleNode`: no other node is live, so credentials missing here are missing everywhere.
   */
  adopt(instances: readonly Instance[], options: { readonly soleNode: boolean }): Promise<unknown>;
  /** Closes the instance's session without logout and frees its lease, for another node to take. */
  handOver(instanceId: string): Promise<void>;
  /** Closes the instance's session without logout and without touching its status or lease (lost). */
  drop(instanceId: string): Promise<void>;
  /** Logs the session out and wipes its credentials: its instance was deleted (through another node). */
  retire(instanceId: string): Promise<void>;
}

export interface NodeKeeperDeps {
  readonly registry: NodeRegistry;
  readonly leases: Pick<SessionLeaseRepository, 'listCandidates'>;
  readonly ownership: SessionOwnership;
  readonly sessions: NodeSessions;
  readonly clock: Clock;
  readonly node: { readonly address: string | null; readonly maxSessions: number };
  /** Told what the keeper did or could not do; must not throw. */
  readonly onEvent?: (event: NodeKeeperEvent) => void;
}

export type NodeKeeperEvent =
  | { readonly type: 'lost'; readonly instanceIds: readonly string[] }
  | { readonly type: 'expired'; readonly instanceIds: readonly string[] }
  | { readonly type: 'placed'; readonly taken: number; readonly handedOver: number; readonly nodes: number };

export interface NodeKeeper {
  readonly nodeId: string;
  /** Registers the node. */
  start(): Promise<void>;
  /** Heartbeats and renews the leases; drops the sessions of lost ones. Throws when Postgres fails. */
  renew(): Promise<void>;
  /** Drops the sessions whose lease ran out locally. Never throws for a session that fails to close. */
  enforce(): Promise<void>;
  /** One placement round. */
  place(): Promise<void>;
  /** Frees every lease and deregisters; call after the sessions were closed. */
  stop(): Promise<void>;
}

export function createNodeKeeper(deps: NodeKeeperDeps): NodeKeeper {
  const { registry, ownership, sessions, clock } = deps;
  const nodeId = ownership.nodeId;
  const startedAt = clock.now();
  const self = (): ClusterNode => ({ id: nodeId, ...deps.node, startedAt, heartbeatAt: clock.now() });

  async function dropAll(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => sessions.drop(id).catch(() => undefined)));
  }

  return {
    nodeId,
    start: () => registry.register(self()),
    async renew() {
      if (!(await registry.heartbeat(nodeId, clock.now()))) await registry.register(self());
      const { lost } = await ownership.renew();
      if (lost.length === 0) return;
      deps.onEvent?.({ type: 'lost', instanceIds: lost });
      await dropAll(lost);
    },
    async enforce() {
      const expired = ownership.takeExpired();
      if (expired.length === 0) return;
      deps.onEvent?.({ type: 'expired', instanceIds: expired });
      await dropAll(expired);
    },
    async place() {
      const at = clock.now();
      const nodes = await registry.listLive(new Date(at.getTime() - ownership.ttlMs));
      if (!nodes.some((node) => node.id === nodeId)) return; // not registered (yet): take nothing
      // Read before the candidates: a lease claimed after that read is not missing from them.
      const heldBefore = ownership.held();
      const candidates = await deps.leases.listCandidates(at);
      // A lease this node held on an instance that is no longer a candidate: the instance was deleted,
      // maybe through another node, which could not log this node's session out.
      const present = new Set(candidates.map((candidate) => candidate.instance.id));
      for (const id of heldBefore) if (!present.has(id) && ownership.held().includes(id)) await sessions.retire(id);
      const plan = planPlacement({ self: nodeId, nodes, candidates, at });
      for (const id of plan.handOver) await sessions.handOver(id);
      if (plan.take.length > 0 || plan.handOver.length > 0) {
        deps.onEvent?.({ type: 'placed', taken: plan.take.length, handedOver: plan.handOver.length, nodes: nodes.length });
      }
      if (plan.take.length > 0) await sessions.adopt(plan.take, { soleNode: nodes.length === 1 });
    },
    async stop() {
      await ownership.releaseAll();
      await registry.deregister(nodeId);
    },
  };
}
