/*
 * Several nodes over one in-memory "database": each node is a session manager with its own lease table
 * and keeper, sharing the unit of work, the node registry and the simulated phones' credentials, as real
 * nodes share Postgres. Time is a fake clock; a node that is "killed" or "paused" simply stops running
 * its keeper steps.
 */
import { describe, expect, it } from 'vitest';
import { createSessionHarness } from '../testing/session-manager-harness.js';
import { createInMemoryNodeRegistry } from '../testing/in-memory-node-registry.js';
import type { SandboxSessionFactory } from '../sessions/index.js';
import type { FakeSandboxSessionFactory } from '../testing/fake-sandbox-session-factory.js';
import { newId } from '../shared/index.js';
import { createNodeKeeper } from './node-keeper.js';
import { createSessionOwnership } from './session-ownership.js';

const TTL = 9_000;

function createCluster() {
  const harness = createSessionHarness({ maxSessions: 1_000 });
  const registry = createInMemoryNodeRegistry();
  /** Every socket open and close, by node, to check that no instance ever has two at once. */
  const sockets: { instanceId: string; node: string; open: boolean }[] = [];

  function startNode(maxSessions = 1_000) {
    const id = newId('node');
    const ownership = createSessionOwnership({ uow: harness.uow, clock: harness.clock, nodeId: id, ttlMs: TTL });
    const sandbox: SandboxSessionFactory = {
      ...harness.sandbox,
      createSession(options) {
        const session = harness.sandbox.createSession(options);
        return {
          ...session,
          get status() {
            return session.status;
          },
          connect: async () => {
            sockets.push({ instanceId: options.instanceId, node: id, open: true });
            await session.connect();
          },
          close: async () => {
            sockets.push({ instanceId: options.instanceId, node: id, open: false });
            await session.close();
          },
          send: (...args) => session.send(...args),
          scan: () => session.scan(),
          injectInbound: (input) => session.injectInbound(input),
          injectChange: (input) => session.injectChange(input),
          requestPairingCode: (phone) => session.requestPairingCode(phone),
          logout: () => session.logout(),
        };
      },
    };
    const manager = harness.startManager({ factories: { whatsapp: harness.whatsapp, sandbox }, ownership });
    const keeper = createNodeKeeper({
      registry,
      leases: harness.uow.repos.leases,
      ownership,
      sessions: manager,
      clock: harness.clock,
      node: { address: null, maxSessions },
    });
    return { id, manager, keeper, ownership };
  }

  /** The most sockets of one instance that were open at the same time, over every node. */
  function maxOpenAtOnce(): number {
    const open = new Map<string, number>();
    let max = 0;
    for (const event of sockets) {
      const count = (open.get(event.instanceId) ?? 0) + (event.open ? 1 : -1);
      open.set(event.instanceId, count);
      max = Math.max(max, count);
    }
    return max;
  }

  async function pairedInstances(count: number) {
    const list = [];
    for (let i = 0; i < count; i++) {
      const instance = await harness.newInstance('sandbox', { status: 'connected', phoneNumber: '9990000000001' });
      (harness.sandbox as FakeSandboxSessionFactory).paired.add(instance.id);
      list.push(instance);
    }
    return list;
  }

  return { harness, registry, sockets, startNode, maxOpenAtOnce, pairedInstances };
}

type Node = ReturnType<ReturnType<typeof createCluster>['startNode']>;

async function round(cluster: ReturnType<typeof createCluster>, nodes: Node[]) {
  for (const node of nodes) await node.keeper.renew();
  for (const node of nodes) await node.keeper.place();
  await cluster.harness.settled();
}

describe('node keeper', () => {
  it('runs every instance on exactly one node, spread over the nodes', async () => {
    const cluster = createCluster();
    const instances = await cluster.pairedInstances(30);
    const nodes = [cluster.startNode(), cluster.startNode(), cluster.startNode()];
    for (const node of nodes) await node.keeper.start();
    await round(cluster, nodes);

    const live = nodes.map((node) => node.manager.stats().live);
    expect(live.reduce((a, b) => a + b)).toBe(30);
    expect(Math.min(...live)).toBeGreaterThan(0);
    expect(cluster.maxOpenAtOnce()).toBe(1);
    for (const instance of instances) expect(await cluster.harness.status(instance.id)).toBe('connected');
  });

  it('moves the instances of a node that stopped renewing to the others once its leases expired, and refuses its late writes', async () => {
    const cluster = createCluster();
    const instances = await cluster.pairedInstances(12);
    const [a, b] = [cluster.startNode(), cluster.startNode()];
    await a.keeper.start();
    await round(cluster, [a]);
    expect(a.manager.stats().live).toBe(12);
    await b.keeper.start();

    // A is paused: B renews and places, but A's leases hold until they expire.
    cluster.harness.clock.advance(TTL - 1);
    await round(cluster, [b]);
    expect(b.manager.stats().live).toBe(0);
    cluster.harness.clock.advance(2);
    await round(cluster, [b]);
    expect(b.manager.stats().live).toBe(12);
    const lease = await cluster.harness.uow.repos.leases.find(instances[0]!.id);
    expect(lease).toMatchObject({ nodeId: b.id, epoch: 2 });

    // A wakes up: its sends are refused at once, its lease checks fail, and its writes change nothing.
    const target = { customerId: instances[0]!.customerId, id: instances[0]!.id };
    await expect(a.manager.send(target, '4915100000000', { type: 'text', text: 'late' })).rejects.toMatchObject({ code: 'not_connected' });
    const staleFence = { instanceId: instances[0]!.id, nodeId: a.id, epoch: 1 };
    expect(await cluster.harness.uow.repos.leases.holds(staleFence, cluster.harness.clock.now())).toBe(false);
    await a.keeper.enforce();
    expect(a.manager.stats().live).toBe(0);
    for (const instance of instances) expect(await cluster.harness.status(instance.id)).toBe('connected');
  });

  it('closes its sessions before its leases can expire when renewals keep failing', async () => {
    const cluster = createCluster();
    await cluster.pairedInstances(3);
    const a = cluster.startNode();
    await a.keeper.start();
    await round(cluster, [a]);
    expect(a.manager.stats().live).toBe(3);
    cluster.harness.clock.advance(TTL - TTL / 5);
    await a.keeper.enforce();
    expect(a.manager.stats().live).toBe(0);
    // The leases were not freed (Postgres could not be reached, as far as the node knows): they expire.
    const other = cluster.startNode();
    await other.keeper.start();
    await round(cluster, [other]);
    expect(other.manager.stats().live).toBe(0);
  });

  it('hands its instances over at once when it stops, and the others resume them without a QR', async () => {
    const cluster = createCluster();
    const instances = await cluster.pairedInstances(8);
    const [a, b] = [cluster.startNode(), cluster.startNode()];
    await a.keeper.start();
    await round(cluster, [a]);
    await b.keeper.start();
    await a.manager.closeAll();
    await a.keeper.stop();
    await round(cluster, [b]);
    expect(b.manager.stats().live).toBe(8);
    expect(cluster.maxOpenAtOnce()).toBe(1);
    for (const instance of instances) {
      expect(await cluster.harness.status(instance.id)).toBe('connected');
      expect(cluster.harness.eventsOf(instance.id).map((e) => e.event)).not.toContain('qr.updated');
    }
  });

  it('hands connected instances to a node that joins, each reconnecting once and never on two nodes', async () => {
    const cluster = createCluster();
    await cluster.pairedInstances(40);
    const [a, b] = [cluster.startNode(), cluster.startNode()];
    await a.keeper.start();
    await round(cluster, [a]);
    await b.keeper.start();
    await round(cluster, [a, b]);
    await round(cluster, [a, b]);
    expect(a.manager.stats().live + b.manager.stats().live).toBe(40);
    expect(b.manager.stats().live).toBeGreaterThan(10);
    expect(cluster.maxOpenAtOnce()).toBe(1);
    const opens = cluster.sockets.filter((s) => s.open && s.node === b.id).length;
    expect(opens).toBe(b.manager.stats().live);
  });

  it('refuses a connect on a node while another runs the session', async () => {
    const cluster = createCluster();
    const [instance] = await cluster.pairedInstances(1);
    const [a, b] = [cluster.startNode(), cluster.startNode()];
    await a.keeper.start();
    await round(cluster, [a]);
    await expect(b.manager.connect(cluster.harness.principal, instance!.id)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(b.manager.logout(cluster.harness.principal, instance!.id)).rejects.toMatchObject({ code: 'unavailable' });
    expect(await cluster.harness.status(instance!.id)).toBe('connected');
  });

  it('logs out the session of an instance deleted through another node', async () => {
    const cluster = createCluster();
    const [instance] = await cluster.pairedInstances(1);
    const [a, b] = [cluster.startNode(), cluster.startNode()];
    await a.keeper.start();
    await round(cluster, [a]);
    await b.keeper.start();
    // Deleted through B, which does not run the session: only the row changes.
    await b.manager.stop(instance!.id, { logout: true });
    await cluster.harness.uow.repos.instances.softDelete(instance!.customerId, instance!.id, cluster.harness.clock.now());
    await round(cluster, [a]);
    expect(a.manager.stats().live).toBe(0);
    expect(await cluster.harness.uow.repos.leases.find(instance!.id)).toMatchObject({ nodeId: null });
  });

  it('never logs out a session whose lease was claimed while a placement round read the candidates', async () => {
    const cluster = createCluster();
    const a = cluster.startNode();
    await a.keeper.start();
    const instance = await cluster.harness.newInstance('sandbox');
    // The round reads the candidates first (the pending instance is none); the connect claims meanwhile.
    const leases = cluster.harness.uow.repos.leases;
    const slowKeeper = createNodeKeeper({
      registry: cluster.registry,
      leases: {
        listCandidates: async (at) => {
          const candidates = await leases.listCandidates(at);
          await a.manager.connect(cluster.harness.principal, instance.id);
          return candidates;
        },
      },
      ownership: a.ownership,
      sessions: a.manager,
      clock: cluster.harness.clock,
      node: { address: null, maxSessions: 1_000 },
    });
    await slowKeeper.place();
    await cluster.harness.settled();
    expect(a.manager.stats().live).toBe(1);
    expect(await cluster.harness.status(instance.id)).toBe('qr_required');
  });
});
