/* What this package adds to Fastify's request and route config types. */
import type { Principal, TraceSpan } from '@whatisup/core';
import type { AuthFailureThrottle } from './auth-failure-throttle.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every non-public route; null on public ones. */
    principal: Principal | null;
    /** The request's server span (plugins/request-context.ts); null before it starts. */
    traceSpan: TraceSpan | null;
    /** Why the request failed, for its one log line (plugins/request-log.ts); null while it has not. */
    failure: { readonly code: string; readonly error?: unknown } | null;
  }
  interface FastifyInstance {
    /** Counts failed authentications per client address; null when switched off. */
    authFailureThrottle: AuthFailureThrottle | null;
  }
  interface FastifyContextConfig {
    /** Reachable without an API key. */
    public?: boolean;
  }
}

export {};
