import type { FastifyInstance } from 'fastify';

export interface MethodIndex {
  /** The methods some route takes at this concrete path (`/v1/instances/inst_1`), sorted; empty when none. */
  allowedFor(path: string): string[];
}

const toPattern = (url: string): RegExp =>
  new RegExp(
    `^${url
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}/?$`,
  );

/**
 * Every registered route's method and path pattern, collected as routes are added (call it before
 * registering any), so a request that matched no route can be told which methods its path does take.
 */
export function createMethodIndex(app: FastifyInstance): MethodIndex {
  const routes: Array<{ method: string; pattern: RegExp }> = [];
  app.addHook('onRoute', (route) => {
    const pattern = toPattern(route.url);
    for (const method of [route.method].flat()) routes.push({ method: String(method), pattern });
  });
  return {
    allowedFor(path) {
      const allowed = new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method));
      return [...allowed].sort();
    },
  };
}
