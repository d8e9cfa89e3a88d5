/*
 * Media kept in one node's memory (MEDIA_STORE=memory) is served by any node: its URL names the node that
 * holds the bytes, core answers `unavailable`/`held_elsewhere` with that node's id on every other node,
 * and the download is forwarded here, as it came (GET, path, API key), to that node's address, whose answer
 * (the bytes, or its own 404/410) is relayed. The holder authenticates and checks the request itself.
 *
 * When the holder cannot serve it:
 *  - registered but not live (killed, paused, cut off; its heartbeat is older than the lease TTL), or live
 *    but not answering: 503 `unavailable` with `Retry-After`. If it comes back the URL works again; if it
 *    died, its memory died with it, and the URL answers 503 until it expires, then 410;
 *  - no longer registered (it stopped and deregistered): its memory is gone for certain, 410
 *    `media_expired`, as a single server answers after a restart.
 * One hop only, as for sessions (compose/forward-to-owner.ts): a forwarded request that reaches a node
 * which is not the holder either answers the 503 itself. The holder's node id is never shown to clients.
 */
import { DomainError, isDomainError, MEDIA_HELD_ELSEWHERE, type Clock, type NodeRegistry } from '@whatisup/core';
import type { AnyRouteSpec } from '@whatisup/http-fastify';
import { FORWARDED_HEADER } from './forward-to-owner.js';
import type { NodeHops } from './node-hops.js';

type RouteContext = Parameters<AnyRouteSpec['handler']>[0];

/** How long the holder may take to start answering: a paused or overloaded holder is not waited for long. */
const ANSWER_TIMEOUT_MS = 10_000;
/** Long enough for the largest attachment between two nodes of one site. */
const FORWARD_TIMEOUT_MS = 60_000;
const RETRY_AFTER_SECONDS = 5;
/** The holder's answer headers worth relaying: what the media route sets, and the rate limiter's. */
const RELAYED_HEADERS = [
  'content-type',
  'content-disposition',
  'cache-control',
  'x-content-type-options',
  'content-security-policy',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

export interface ForwardMediaDeps {
  readonly nodeId: string;
  readonly registry: Pick<NodeRegistry, 'listLive'>;
  readonly clock: Clock;
  /** A node is live while its heartbeat is younger than this (the lease TTL). */
  readonly liveWithinMs: number;
  /** Signs the hop, so the holder charges the customer's rate limit only once (node-hops.ts). */
  readonly hops: Pick<NodeHops, 'sign'>;
}

const unreachable = (): DomainError =>
  new DomainError('unavailable', 'The server that keeps this media does not answer right now; try again shortly.', {
    reason: 'media_holder_unreachable',
    retry_after_seconds: RETRY_AFTER_SECONDS,
  });

/** The media routes, with downloads of media another node holds forwarded to that node. */
export function forwardMediaToHolder(routes: readonly AnyRouteSpec[], deps: ForwardMediaDeps): AnyRouteSpec[] {
  return routes.map((spec) => ({
    ...spec,
    handler: async (context) => {
      try {
        return await spec.handler(context);
      } catch (error) {
        if (!isDomainError(error, 'unavailable') || error.details['reason'] !== MEDIA_HELD_ELSEWHERE) throw error;
        const holder = String(error.details['holder']);
        if (holder === deps.nodeId || context.request.headers[FORWARDED_HEADER] !== undefined) throw unreachable();
        const registered = (await deps.registry.listLive(new Date(0))).find((node) => node.id === holder);
        if (registered === undefined) {
          throw new DomainError('media_expired', 'This media URL expired or its media is no longer kept.', {
            expired_at: String(error.details['expires_at']),
          });
        }
        const live = registered.heartbeatAt.getTime() > deps.clock.now().getTime() - deps.liveWithinMs;
        if (!live || registered.address === null) throw unreachable();
        const { method, url, headers } = context.request;
        await relay(context, registered.address, deps.hops.sign(deps.nodeId, { method, url, authorization: headers.authorization }));
        return undefined;
      }
    },
  }));
}

async function relay({ request, reply }: RouteContext, address: string, hop: string): Promise<void> {
  const headers: Record<string, string> = { [FORWARDED_HEADER]: hop };
  if (request.headers.authorization !== undefined) headers['authorization'] = request.headers.authorization;
  let response: Response;
  let body: Buffer;
  const answering = new AbortController();
  const answerTimer = setTimeout(() => answering.abort(new Error('the holder did not start answering in time')), ANSWER_TIMEOUT_MS);
  try {
    const signal = AbortSignal.any([answering.signal, AbortSignal.timeout(FORWARD_TIMEOUT_MS)]);
    response = await fetch(`${address}${request.url}`, { method: 'GET', headers, signal, redirect: 'manual' });
    clearTimeout(answerTimer);
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    clearTimeout(answerTimer);
    request.log.warn({ err: error, holder: address }, 'the node that keeps the media did not answer a forwarded download');
    throw unreachable();
  }
  reply.code(response.status);
  for (const name of RELAYED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) reply.header(name, value);
  }
  await reply.send(body);
}
