import type { ClusterNode, NodeRegistry } from '../cluster/index.js';

/** The node registry in a Map; share one between the keepers of a multi-node test. */
export function createInMemoryNodeRegistry(): NodeRegistry {
  const nodes = new Map<string, ClusterNode>();
  return {
    async register(node) {
      nodes.set(node.id, { ...node });
    },
    async heartbeat(nodeId, at) {
      const node = nodes.get(nodeId);
      if (node === undefined) return false;
      nodes.set(nodeId, { ...node, heartbeatAt: at });
      return true;
    },
    async listLive(since) {
      return [...nodes.values()]
        .filter((node) => node.heartbeatAt.getTime() > since.getTime())
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    },
    async deregister(nodeId) {
      nodes.delete(nodeId);
    },
  };
}
