/*
 * Requests that need an instance's socket (connect, QR, pairing code, logout, restart, the sandbox
 * controls, the live lookups: contacts, profiles, LIDs) may reach any node; the session runs on one. When core answers that another node holds the
 * instance's lease (`unavailable`, reason `owned_elsewhere`), the request is forwarded, as it came (method,
 * path, API key, body), to that node's address, and its answer is relayed. The owner authenticates and
 * checks the request itself, exactly as if the client had called it.
 *
 * One hop only: a forwarded request carries `x-whatisup-forwarded-by` (a signed hop, node-hops.ts), and a
 * node that receives one for an instance it does not run answers the 503 itself (the lease moved
 * meanwhile). The forwarding node charged the request to the customer's rate limit; the owner, seeing a
 * valid hop, only peeks (`chargedByForwarder`), so the request counts once. When the owner is not live
 * (its lease has not expired yet) or does not answer within the deadline, the caller gets the 503
 * `unavailable` with `Retry-After`: the instance will be running somewhere shortly.
 *
 * A node that is full (`worker_at_capacity`, MAX_SESSIONS_PER_NODE sessions live) cannot start a session that
 * nobody runs yet; another node may have room. The request is then offered to the other live nodes in the
 * instance's placement order (the order placement itself prefers), one at a time, each as a forwarded request
 * (one hop, the same signed hop); the first answer that is not their own `worker_at_capacity` is relayed. Only
 * when every live node is full (or none answers) does the caller get the 503 `worker_at_capacity`. Placement
 * moves the instance to its preferred node later, once that node has room.
 */
import { isDomainError, rankNodes, type Clock, type NodeRegistry, type SessionLeaseRepository } from '@whatisup/core';
import type { AnyRouteSpec } from '@whatisup/http-fastify';
import type { NodeHops } from './node-hops.js';

type RouteContext = Parameters<AnyRouteSpec['handler']>[0];

export const FORWARDED_HEADER = 'x-whatisup-forwarded-by';
/** Longer than the longest request it carries: a QR request waits up to about 10 s for a first QR. */
const FORWARD_TIMEOUT_MS = 15_000;
/** Answer headers worth relaying; hop-by-hop and length headers are Fastify's to set. */
const RELAYED_HEADERS = ['content-type', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];

export interface ForwardToOwnerDeps {
  readonly nodeId: string;
  readonly leases: Pick<SessionLeaseRepository, 'find'>;
  readonly registry: Pick<NodeRegistry, 'listLive'>;
  readonly clock: Clock;
  /** A node is live while its heartbeat is younger than this (the lease TTL). */
  readonly liveWithinMs: number;
  /** Signs the hop, so the owner knows the request was charged here. */
  readonly hops: Pick<NodeHops, 'sign'>;
}

/**
 * The routes with their `owned_elsewhere` answers forwarded to the owner, and their `worker_at_capacity`
 * answers offered to the other live nodes. Every route must take `:id`.
 */
export function forwardToOwner(routes: readonly AnyRouteSpec[], deps: ForwardToOwnerDeps): AnyRouteSpec[] {
  const liveSince = () => new Date(deps.clock.now().getTime() - deps.liveWithinMs);

  async function ownerAddress(instanceId: string): Promise<string | null> {
    const lease = await deps.leases.find(instanceId);
    if (lease?.nodeId == null || lease.nodeId === deps.nodeId) return null;
    const owner = (await deps.registry.listLive(liveSince())).find((node) => node.id === lease.nodeId);
    return owner?.address ?? null;
  }

  /** The other live nodes' addresses, in the instance's placement order. */
  async function othersInPlacementOrder(instanceId: string): Promise<string[]> {
    const others = (await deps.registry.listLive(liveSince())).filter((node) => node.id !== deps.nodeId && node.address !== null);
    const addressOf = new Map(others.map((node) => [node.id, node.address!]));
    return rankNodes([...addressOf.keys()], instanceId).map((id) => addressOf.get(id)!);
  }

  return routes.map((spec) => ({
    ...spec,
    handler: async (context) => {
      try {
        return await spec.handler(context);
      } catch (error) {
        if (context.request.headers[FORWARDED_HEADER] !== undefined) throw error;
        const instanceId = (context.params as { id: string }).id;
        if (isDomainError(error, 'worker_at_capacity')) {
          for (const address of await othersInPlacementOrder(instanceId)) {
            const answer = await exchange(context.request, address, deps);
            if (answer === null || isCapacityRefusal(answer)) continue;
            await relay(context.reply, answer);
            return undefined;
          }
          throw error;
        }
        if (!isDomainError(error, 'unavailable') || error.details['reason'] !== 'owned_elsewhere') throw error;
        const address = await ownerAddress(instanceId);
        if (address === null) throw error;
        const answer = await exchange(context.request, address, deps);
        if (answer === null) throw error;
        await relay(context.reply, answer);
        return undefined;
      }
    },
  }));
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

/** The request sent on to `address` as a forwarded one, and that node's answer; null when it did not answer. */
async function exchange(request: RouteContext['request'], address: string, deps: Pick<ForwardToOwnerDeps, 'nodeId' | 'hops'>): Promise<Answer | null> {
  const hop = deps.hops.sign(deps.nodeId, { method: request.method, url: request.url, authorization: request.headers.authorization });
  const headers: Record<string, string> = { [FORWARDED_HEADER]: hop };
  if (request.headers.authorization !== undefined) headers['authorization'] = request.headers.authorization;
  const hasBody = request.body !== undefined && request.body !== null;
  if (hasBody) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(`${address}${request.url}`, {
      method: request.method,
      headers,
      ...(hasBody && { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  } catch (error) {
    request.log.warn({ err: error, node: address }, 'a node did not answer a forwarded request');
    return null;
  }
}

function isCapacityRefusal(answer: Answer): boolean {
  if (answer.status !== 503) return false;
  try {
    return (JSON.parse(answer.body.toString('utf8')) as { error?: { code?: unknown } }).error?.code === 'worker_at_capacity';
  } catch {
    return false;
  }
}

async function relay(reply: RouteContext['reply'], answer: Answer): Promise<void> {
  reply.code(answer.status);
  for (const name of RELAYED_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null) reply.header(name, value);
  }
  await reply.send(answer.body);
}
