import type { FastifyInstance } from 'fastify';
import { ApiError } from '../lib/api-error.js';

/**
 * Once `close()` begins, requests still arriving on kept-alive connections get a 503 `unavailable` in the
 * error envelope (with `Connection: close`) while the ones already running finish. Fastify's own
 * `return503OnClosing` answers with a body of its own shape, so it is turned off in favour of this.
 *
 * Connections that were busy when closing began are closed as soon as they fall idle: otherwise each stays
 * open until the client drops it (a client honouring Fastify's 72 s keep-alive hint keeps it that long), and
 * `close()` waits for it, past any shutdown deadline.
 */
export function installClosingGate(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onResponse', async () => {
    // The connection this answer went out on is idle from the next turn: close it (and any other idle one).
    if (closing) setImmediate(() => app.server.closeIdleConnections());
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw new ApiError(503, 'unavailable', 'The server is shutting down; retry on another connection.');
  });
}
