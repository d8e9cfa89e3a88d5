/*
 * The OutboundHttp port on undici. The policy (what may be reached) lives in the address and URL
 * modules; this file wires it to the port's three methods. See README.md for the policy in words.
 */
import { noTracing, type OutboundDownloadResult, type OutboundHttp, type OutboundResult, type Tracing } from '@whatisup/core';
import type { ConnectionOptions } from 'node:tls';
import { createAddressPolicy } from './address-policy.js';
import { createTargetChecker } from './check-target.js';
import { parseCidrList } from './parse-allow-cidrs.js';
import { pinnedExchange, type PinnedExchangeDeps } from './pinned-exchange.js';
import { createPinnedConnections } from './pinned-connections.js';
import { readBounded } from './read-bounded.js';
import { systemResolver, type Resolver } from './resolver.js';
import { tracedExchange } from './traced-exchange.js';
import { isRefusal, unsafeUrlError, type RefusalLogDetails } from './url-refusal.js';

export interface UndiciOutboundHttpOptions {
  /** Refuse http URLs (production). */
  readonly requireHttps: boolean;
  /** Operator allowlist (WEBHOOK_ALLOW_CIDRS, see parseAllowCidrs); empty by default. */
  readonly allowCidrs?: readonly string[];
  /** Defaults to the system resolver; tests inject a hostile one. */
  readonly resolve?: Resolver;
  /** Default deadline of a whole request (WEBHOOK_TIMEOUT_MS); 10 000 ms. */
  readonly timeoutMs?: number;
  /** Deadline of the TCP (and TLS) connect; defaults to timeoutMs. */
  readonly connectTimeoutMs?: number;
  /** Default bound of the response body read by send(); 1 KiB. */
  readonly maxResponseBytes?: number;
  /**
   * Told what the caller is not: the address a name resolved to and the rule that refused it, or that the
   * name did not resolve. For the server log (warn); never put it in an API answer.
   */
  readonly onRefusal?: (details: RefusalLogDetails) => void;
  /** Extra trust for TLS (a private CA); the hostname is verified regardless. */
  readonly tls?: Pick<ConnectionOptions, 'ca'>;
  /**
   * How long a connection stays open for the next request to the same origin and addresses (keep-alive);
   * 0 closes each after its exchange. Default 2,000 ms (pinned-connections.ts).
   */
  readonly idleConnectionMs?: number;
  /** Each request is an HTTP client span (see traced-exchange.ts). Default: not traced. */
  readonly tracing?: Tracing;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024;

/** Throws an Error naming the bad entry when `allowCidrs` holds an invalid CIDR. */
export function createUndiciOutboundHttp(options: UndiciOutboundHttpOptions): OutboundHttp {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const check = createTargetChecker({
    requireHttps: options.requireHttps,
    isAllowed: createAddressPolicy(parseCidrList(options.allowCidrs ?? [])),
    resolve: options.resolve ?? systemResolver,
  });
  const { onRefusal } = options;
  const tracing = options.tracing ?? noTracing;
  const checkTarget: typeof check = async (input) => {
    const target = await check(input);
    if (isRefusal(target) && target.log !== undefined) onRefusal?.(target.log);
    return target;
  };
  const deps: PinnedExchangeDeps = {
    checkTarget,
    connections: createPinnedConnections({
      connectTimeoutMs: options.connectTimeoutMs ?? timeoutMs,
      ...(options.tls && { tls: options.tls }),
      ...(options.idleConnectionMs !== undefined && { idleMs: options.idleConnectionMs }),
    }),
  };

  return {
    async checkUrl(url) {
      const target = await checkTarget(url);
      if (isRefusal(target)) throw unsafeUrlError(target);
      return { url: target.url.href, hostname: target.hostname, addresses: target.addresses };
    },

    send(request): Promise<OutboundResult> {
      const limit = request.maxResponseBytes ?? maxResponseBytes;
      return tracedExchange(tracing, request, () => pinnedExchange(deps, { ...request, timeoutMs: request.timeoutMs ?? timeoutMs }, async (response, context) => {
        const { bytes, truncated } = await readBounded(response.body, limit);
        return {
          kind: 'response',
          status: response.statusCode,
          headers: flattenHeaders(response.headers),
          body: bytes,
          bodyTruncated: truncated,
          address: context.address,
          durationMs: context.elapsedMs(),
        };
      }));
    },

    download(request): Promise<OutboundDownloadResult> {
      const { maxBytes } = request;
      const exchange = { ...request, method: 'GET' as const, timeoutMs: request.timeoutMs ?? timeoutMs };
      return tracedExchange(tracing, exchange, () => pinnedExchange(deps, exchange, async (response, context): Promise<OutboundDownloadResult> => {
        const status = response.statusCode;
        if (status < 200 || status > 299) {
          return { kind: 'http_status', status, message: `The server answered ${status}.`, durationMs: context.elapsedMs() };
        }
        const tooLarge = { kind: 'too_large', maxBytes, message: `The body is larger than ${maxBytes} bytes.` } as const;
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) return { ...tooLarge, durationMs: context.elapsedMs() };
        const { bytes, truncated } = await readBounded(response.body, maxBytes);
        if (truncated) return { ...tooLarge, durationMs: context.elapsedMs() };
        const contentType = flattenHeaders(response.headers)['content-type'] ?? null;
        return { kind: 'downloaded', status, contentType, body: bytes, durationMs: context.elapsedMs() };
      }));
    },
  };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
