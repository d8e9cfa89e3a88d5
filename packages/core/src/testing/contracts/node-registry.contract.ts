import { describe, expect, it } from 'vitest';
import type { ClusterNode, NodeRegistry } from '../../cluster/index.js';
import { newId } from '../../shared/index.js';
import { useContractSubject } from './use-contract-subject.js';

export interface NodeRegistrySubject {
  readonly registry: NodeRegistry;
  readonly cleanup?: (() => Promise<void>) | undefined;
}

const T0 = new Date('2026-05-01T12:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const aNode = (overrides: Partial<ClusterNode> = {}): ClusterNode => ({
  id: newId('node'),
  address: 'http://10.0.0.1:3000',
  maxSessions: 200,
  startedAt: T0,
  heartbeatAt: T0,
  ...overrides,
});

/** The behaviour every `NodeRegistry` must have. */
export function describeNodeRegistryContract(name: string, setup: () => Promise<NodeRegistrySubject>): void {
  describe(`NodeRegistry contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const mine = (nodes: ClusterNode[], ids: string[]) => nodes.filter((node) => ids.includes(node.id));

    it('lists a registered node while its heartbeat is recent, and not after', async () => {
      const { registry } = subject();
      const node = aNode();
      await registry.register(node);
      expect(mine(await registry.listLive(later(-1)), [node.id])).toEqual([node]);
      expect(mine(await registry.listLive(later(0)), [node.id])).toEqual([]);
      expect(await registry.heartbeat(node.id, later(5_000))).toBe(true);
      expect(mine(await registry.listLive(later(4_000)), [node.id])).toEqual([{ ...node, heartbeatAt: later(5_000) }]);
    });

    it('refreshes a node registered again under the same id', async () => {
      const { registry } = subject();
      const node = aNode();
      await registry.register(node);
      await registry.register({ ...node, maxSessions: 5, heartbeatAt: later(1) });
      expect(mine(await registry.listLive(later(-1)), [node.id])).toEqual([{ ...node, maxSessions: 5, heartbeatAt: later(1) }]);
    });

    it('forgets a deregistered node; its heartbeat then says so', async () => {
      const { registry } = subject();
      const [a, b] = [aNode({ address: null }), aNode()];
      await registry.register(a);
      await registry.register(b);
      await registry.deregister(a.id);
      await registry.deregister(a.id);
      expect(mine(await registry.listLive(later(-1)), [a.id, b.id])).toEqual([b]);
      expect(await registry.heartbeat(a.id, later(1))).toBe(false);
    });
  });
}
