/*
 * Which instances this node should take and which it should hand over, from one view of the cluster (the
 * live nodes and the placement candidates). Every node runs the same function on nearly the same view, so
 * they agree without talking to each other; a disagreement (views taken a moment apart) only delays a move
 * to the next round, because taking a lease is atomic and only a free lease can be taken.
 *
 * - An instance whose lease a live node holds while it is pairing, connecting or reconnecting stays with
 *   that node (moving it would lose a QR on screen or a reconnect in progress); it counts toward the
 *   holder's load.
 * - An instance whose lease a dead node still holds is left alone until the lease expires.
 * - Every other instance (free, or connected on a live node) goes to its best-ranked live node with room
 *   (`maxSessions`), in instance id order. A free one assigned here is taken; a connected one this node
 *   holds that belongs to another node is handed over (closed without logout, lease released), and that
 *   node takes it at its next round, resuming from the stored credentials without a QR.
 */
import type { Instance } from '../instances/instance.js';
import type { ClusterNode } from './cluster-node.js';
import { rankNodes } from './rendezvous-rank.js';
import { isHeld, type PlacementCandidate } from './session-lease.js';

export interface PlacementInput {
  readonly self: string;
  /** The live nodes (self included once registered). */
  readonly nodes: readonly Pick<ClusterNode, 'id' | 'maxSessions'>[];
  readonly candidates: readonly PlacementCandidate[];
  readonly at: Date;
}

export interface PlacementPlan {
  /** Instances with a free lease that this node should run, in instance id order. */
  readonly take: Instance[];
  /** Ids of instances this node runs that another live node should run. */
  readonly handOver: string[];
}

export function planPlacement({ self, nodes, candidates, at }: PlacementInput): PlacementPlan {
  const capacity = new Map(nodes.map((node) => [node.id, node.maxSessions]));
  const load = new Map(nodes.map((node) => [node.id, 0]));
  const ids = nodes.map((node) => node.id);
  const placeable: PlacementCandidate[] = [];

  for (const candidate of candidates) {
    const { lease, instance } = candidate;
    if (!isHeld(lease, at)) {
      placeable.push(candidate);
    } else if (capacity.has(lease.nodeId)) {
      if (instance.status === 'connected') placeable.push(candidate);
      else load.set(lease.nodeId, load.get(lease.nodeId)! + 1);
    }
    // Held by a node that is no longer live: wait for the lease to expire.
  }

  const take: Instance[] = [];
  const handOver: string[] = [];
  for (const { instance, lease } of [...placeable].sort((a, b) => (a.instance.id < b.instance.id ? -1 : 1))) {
    const target = rankNodes(ids, instance.id).find((id) => load.get(id)! < capacity.get(id)!);
    if (target === undefined) continue; // every live node is full
    load.set(target, load.get(target)! + 1);
    const holder = isHeld(lease, at) ? lease.nodeId : null;
    if (holder === null && target === self) take.push(instance);
    if (holder === self && target !== self) handOver.push(instance.id);
  }
  return { take, handOver };
}
