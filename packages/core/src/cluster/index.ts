/*
 * Many nodes, one owner per session: the node registry, fenced session leases, rendezvous placement and
 * the keeper that runs them on each node. See README.md.
 */
export type { ClusterNode, NodeRegistry } from './cluster-node.js';
export { createNodeKeeper, type NodeKeeper, type NodeKeeperDeps, type NodeKeeperEvent, type NodeSessions } from './node-keeper.js';
export { planPlacement, type PlacementInput, type PlacementPlan } from './plan-placement.js';
export { rankNodes } from './rendezvous-rank.js';
export {
  RESUMABLE_STATUSES,
  holdsFence,
  isHeld,
  type FenceCheck,
  type LeaseFence,
  type StaleFence,
  type PlacementCandidate,
  type SessionLease,
  type StoredLease,
} from './session-lease.js';
export type { LeaseRepositories, LeaseTerm, SessionLeaseRepository } from './session-lease-repository.js';
export { createSessionOwnership, type SessionOwnership, type SessionOwnershipDeps } from './session-ownership.js';
