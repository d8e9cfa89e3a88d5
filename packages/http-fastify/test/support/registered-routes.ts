import type { FastifyInstance } from 'fastify';

/**
 * Every method + path Fastify actually serves, read from `printRoutes` (the only public listing of a ready
 * app), so a route registered around the router cannot hide from the OpenAPI check. HEAD twins are skipped.
 */
export function registeredRoutes(app: FastifyInstance): Array<{ method: string; path: string }> {
  const stack: string[] = [];
  const routes: Array<{ method: string; path: string }> = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│├└─\s]*?)(\/\S*)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack.push(path);
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes;
}
