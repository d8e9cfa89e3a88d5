/** One server process that runs WhatsApp sessions, as the node registry knows it. */
export interface ClusterNode {
  readonly id: string;
  /** Where other nodes reach this one (its internal HTTP address); null when not announced. */
  readonly address: string | null;
  /** MAX_SESSIONS_PER_NODE of this node: placement gives it no more. */
  readonly maxSessions: number;
  readonly startedAt: Date;
  /** Its last heartbeat: a node is live while this is younger than the lease TTL. */
  readonly heartbeatAt: Date;
}

/**
 * The nodes that run sessions. Each registers at start, heartbeats while it runs and deregisters when it
 * stops; one that stops heartbeating (killed, paused, cut off) drops out of `listLive` on its own.
 */
export interface NodeRegistry {
  /** Inserts the node, or refreshes it when its id is already registered. */
  register(node: ClusterNode): Promise<void>;
  /** Records a heartbeat; false when the node is not registered (deregistered meanwhile). */
  heartbeat(nodeId: string, at: Date): Promise<boolean>;
  /** Nodes whose last heartbeat is after `since`, ordered by id. */
  listLive(since: Date): Promise<ClusterNode[]>;
  /** Removes the node; a no-op when absent. */
  deregister(nodeId: string): Promise<void>;
}
