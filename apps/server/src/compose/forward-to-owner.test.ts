import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError, isDomainError, rankNodes } from '@whatisup/core';
import { createFakeClock, createInMemoryNodeRegistry } from '@whatisup/core/testing';
import type { AnyRouteSpec } from '@whatisup/http-fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { FORWARDED_HEADER, forwardToOwner } from './forward-to-owner.js';

const TTL_MS = 5_000;
const INSTANCE = 'inst_01HZZZZZZZZZZZZZZZZZZZZZZZ';
const full = () => new DomainError('worker_at_capacity', 'This server runs as many WhatsApp sessions as it may.', { max_sessions: 2 });

interface OtherNode {
  readonly id: string;
  readonly address: string;
  /** The requests it received, with their headers and bodies. */
  readonly received: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A node that answers every request with `status` and `body` (null: a node that closes the connection). */
async function otherNode(id: string, status: number, body: unknown): Promise<OtherNode> {
  const received: OtherNode['received'] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method!, url: request.url!, headers: request.headers, body: text });
      if (body === null) return void request.socket.destroy();
      response.writeHead(status, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify(body));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { id, address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const atCapacity = { error: { code: 'worker_at_capacity', message: 'full', details: { max_sessions: 2 } } };
const connecting = { id: INSTANCE, status: 'connecting' };

async function call(error: Error, others: readonly OtherNode[], headers: Record<string, string> = {}) {
  const clock = createFakeClock();
  const registry = createInMemoryNodeRegistry();
  for (const node of [{ id: 'node_self', address: 'http://127.0.0.1:9' }, ...others]) {
    await registry.register({ id: node.id, address: node.address, maxSessions: 2, startedAt: clock.now(), heartbeatAt: clock.now() });
  }
  const route = { handler: async () => Promise.reject(error) } as unknown as AnyRouteSpec;
  const [wrapped] = forwardToOwner([route], {
    nodeId: 'node_self',
    leases: { find: async () => null },
    registry,
    clock,
    liveWithinMs: TTL_MS,
    hops: { sign: (nodeId) => `${nodeId}.signed` },
  });
  const relayed = { status: 0, headers: {} as Record<string, string>, body: '' };
  const reply = {
    code: (status: number) => void (relayed.status = status),
    header: (name: string, value: string) => void (relayed.headers[name] = value),
    send: async (body: Buffer) => void (relayed.body = body.toString()),
  };
  const request = {
    method: 'POST',
    url: `/v1/instances/${INSTANCE}/connect`,
    headers: { authorization: 'Bearer wiu_key', ...headers },
    body: { phone: '4915100000001' },
    log: { warn: () => undefined },
  };
  const outcome = await wrapped!.handler({ request, reply, params: { id: INSTANCE } } as never).then(
    () => ({ relayed }),
    (thrown: unknown) => ({ thrown }),
  );
  return outcome as { relayed?: typeof relayed; thrown?: unknown };
}

/** Node ids in the order placement prefers them for INSTANCE. */
const inPlacementOrder = (...ids: string[]) => rankNodes(ids, INSTANCE);

describe('a session start refused by a full node', () => {
  it('is offered to the other live nodes in placement order, and the first with room answers it', async () => {
    const [first, second, third] = inPlacementOrder('node_a', 'node_b', 'node_c');
    // Whichever node placement prefers is full; the next one has room.
    const nodes = [await otherNode(first!, 503, atCapacity), await otherNode(second!, 202, connecting), await otherNode(third!, 202, connecting)];
    const { relayed } = await call(full(), nodes);

    expect(relayed).toEqual({ status: 202, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: JSON.stringify(connecting) });
    expect(nodes.map((node) => node.received.length)).toEqual([1, 1, 0]);
    const asked = nodes[1]!.received[0]!;
    expect(asked).toMatchObject({ method: 'POST', url: `/v1/instances/${INSTANCE}/connect`, body: JSON.stringify({ phone: '4915100000001' }) });
    expect(asked.headers).toMatchObject({ authorization: 'Bearer wiu_key', [FORWARDED_HEADER]: 'node_self.signed' });
  });

  it('skips a node that does not answer', async () => {
    const [first, second] = inPlacementOrder('node_a', 'node_b');
    const nodes = [await otherNode(first!, 0, null), await otherNode(second!, 202, connecting)];
    const { relayed } = await call(full(), nodes);
    expect(relayed?.status).toBe(202);
    expect(nodes.map((node) => node.received.length)).toEqual([1, 1]);
  });

  it('answers its own worker_at_capacity when every live node is full', async () => {
    const nodes = [await otherNode('node_a', 503, atCapacity), await otherNode('node_b', 503, atCapacity)];
    const refusal = full();
    expect((await call(refusal, nodes)).thrown).toBe(refusal);
    expect(nodes.map((node) => node.received.length)).toEqual([1, 1]);
  });

  it('relays another refusal as it is: only worker_at_capacity moves on to the next node', async () => {
    const [first, second] = inPlacementOrder('node_a', 'node_b');
    const unavailable = { error: { code: 'unavailable', message: 'owned elsewhere', details: {} } };
    const nodes = [await otherNode(first!, 503, unavailable), await otherNode(second!, 202, connecting)];
    const { relayed } = await call(full(), nodes);
    expect(relayed).toMatchObject({ status: 503, body: JSON.stringify(unavailable) });
    expect(nodes.map((node) => node.received.length)).toEqual([1, 0]);
  });

  it('is not offered on when it was forwarded already: one hop, never a loop', async () => {
    const nodes = [await otherNode('node_a', 202, connecting)];
    const refusal = full();
    expect((await call(refusal, nodes, { [FORWARDED_HEADER]: 'node_z.signed' })).thrown).toBe(refusal);
    expect(nodes[0]!.received).toEqual([]);
  });

  it('leaves other errors alone', async () => {
    const nodes = [await otherNode('node_a', 202, connecting)];
    const other = new DomainError('conflict', 'already connected');
    const { thrown } = await call(other, nodes);
    expect(isDomainError(thrown, 'conflict')).toBe(true);
    expect(nodes[0]!.received).toEqual([]);
  });
});
