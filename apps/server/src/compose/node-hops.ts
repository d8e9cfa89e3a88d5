/*
 * A request one node forwards to another carries a hop header, `<node id>.<unix ms>.<HMAC>`, signed with a key
 * derived from SECRETS_KEY (which every node of a deployment shares). The HMAC covers the node, the time, the
 * method, the URL and a digest of the Authorization header, so a hop seen once cannot vouch for another
 * request or another key, and it is trusted for `HOP_VALIDITY_MS` only.
 *
 * What a valid hop buys is narrow: the forwarding node already charged the request to the customer's rate
 * limit, so the owner only peeks at the bucket. The owner still authenticates the API key and checks scope
 * as for any request. An invalid or stale hop is not an error: the request is simply charged again.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '@whatisup/core';
import { deriveKey } from './derive-key.js';

/** How long a signed hop is trusted: a forwarded request reaches its owner well within this. */
export const HOP_VALIDITY_MS = 30_000;

export interface HopRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export interface NodeHops {
  /** The hop header value for a request this node forwards. */
  sign(nodeId: string, request: { readonly method: string; readonly url: string; readonly authorization: string | undefined }): string;
  /** True when the request carries a valid hop under `header` from a node of this deployment. */
  verify(request: HopRequest, header: string): boolean;
}

export function createNodeHops(deps: { readonly clock: Clock; readonly secretsKey: Buffer; readonly previousSecretsKey?: Buffer | undefined }): NodeHops {
  const current = deriveKey(deps.secretsKey, 'node-hops');
  // While SECRETS_KEY rotates, nodes still on the previous key sign with it.
  const keys = deps.previousSecretsKey === undefined ? [current] : [current, deriveKey(deps.previousSecretsKey, 'node-hops')];
  const mac = (key: Uint8Array, parts: readonly string[]) => createHmac('sha256', key).update(parts.join('\n')).digest();
  const digest = (authorization: string | undefined) => createHash('sha256').update(authorization ?? '').digest('base64url');

  return {
    sign(nodeId, request) {
      const at = String(deps.clock.now().getTime());
      return `${nodeId}.${at}.${mac(current, [nodeId, at, request.method, request.url, digest(request.authorization)]).toString('base64url')}`;
    },
    verify(request, header) {
      const value = request.headers[header];
      if (typeof value !== 'string') return false;
      const [nodeId, at, signature, extra] = value.split('.');
      if (nodeId === undefined || at === undefined || signature === undefined || extra !== undefined) return false;
      const age = deps.clock.now().getTime() - Number(at);
      if (!Number.isFinite(age) || Math.abs(age) > HOP_VALIDITY_MS) return false;
      const given = Buffer.from(signature, 'base64url');
      const authorization = typeof request.headers.authorization === 'string' ? request.headers.authorization : undefined;
      return keys.some((key) => {
        const expected = mac(key, [nodeId, at, request.method, request.url, digest(authorization)]);
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
    },
  };
}
