/* What this package adds to Fastify's request and route config types. */
import type { Principal } from '@whatisup/core';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every non-public route; null on public ones. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Reachable without an API key. */
    public?: boolean;
  }
}

export {};
