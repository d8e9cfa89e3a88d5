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
 */
import { DomainError, isDomainError, type Clock, type NodeRegistry, type SessionLeaseRepository } from '@whatisup/core';
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

/** The routes with their `owned_elsewhere` answers forwarded to the owner. Every route must take `:id`. */
export function forwardToOwner(routes: readonly AnyRouteSpec[], deps: ForwardToOwnerDeps): AnyRouteSpec[] {
  async function ownerAddress(instanceId: string): Promise<string | null> {
    const lease = await deps.leases.find(instanceId);
    if (lease?.nodeId == null || lease.nodeId === deps.nodeId) return null;
    const since = new Date(deps.clock.now().getTime() - deps.liveWithinMs);
    const owner = (await deps.registry.listLive(since)).find((node) => node.id === lease.nodeId);
    return owner?.address ?? null;
  }

  return routes.map((spec) => ({
    ...spec,
    handler: async (context) => {
      try {
        return await spec.handler(context);
      } catch (error) {
        if (!isDomainError(error, 'unavailable') || error.details['reason'] !== 'owned_elsewhere') throw error;
        if (context.request.headers[FORWARDED_HEADER] !== undefined) throw error;
        const address = await ownerAddress((context.params as { id: string }).id);
        if (address === null) throw error;
        await relay(context.request, context.reply, address, deps, error);
        return undefined;
      }
    },
  }));
}

async function relay(
  request: RouteContext['request'],
  reply: RouteContext['reply'],
  address: string,
  deps: Pick<ForwardToOwnerDeps, 'nodeId' | 'hops'>,
  refusal: DomainError,
): Promise<void> {
  const hop = deps.hops.sign(deps.nodeId, { method: request.method, url: request.url, authorization: request.headers.authorization });
  const headers: Record<string, string> = { [FORWARDED_HEADER]: hop };
  if (request.headers.authorization !== undefined) headers['authorization'] = request.headers.authorization;
  const hasBody = request.body !== undefined && request.body !== null;
  if (hasBody) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${address}${request.url}`, {
      method: request.method,
      headers,
      ...(hasBody && { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (error) {
    request.log.warn({ err: error, owner: address }, 'the node that runs the session did not answer a forwarded request');
    throw refusal;
  }
  const body = Buffer.from(await response.arrayBuffer());
  reply.code(response.status);
  for (const name of RELAYED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) reply.header(name, value);
  }
  await reply.send(body);
}
