/*
 * Rendezvous (highest random weight) hashing: every node gets a pseudo-random score per instance and the
 * instance goes to the highest-scoring node. When a node joins, only the instances it now wins move (about
 * 1/N of them); when one leaves, only its own instances move, each to its next-ranked node. Every node
 * computes the same ranking from the same ids, with no coordination.
 */

/** 32-bit FNV-1a over the string's UTF-16 code units, finished with murmur3's avalanche step. */
function score(nodeId: string, instanceId: string): number {
  let hash = 0x811c9dc5;
  const key = `${nodeId}\u0000${instanceId}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The node ids best first for `instanceId` (ties, which are astronomically rare, broken by id). */
export function rankNodes(nodeIds: readonly string[], instanceId: string): string[] {
  return nodeIds
    .map((id) => ({ id, score: score(id, instanceId) }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((entry) => entry.id);
}
