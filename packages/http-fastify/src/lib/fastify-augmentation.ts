/* What this package adds to Fastify's request and route config types. */
import type { Principal } from '@whatisup/core';
import type { AuthFailureThrottle } from './auth-failure-throttle.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every non-public route; null on public ones. */
    principal: Principal | null;
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
