/*
 * The worker role's HTTP port: `/healthz`, `/readyz` and `/metrics`, nothing else. It is a few lines of
 * node:http rather than Fastify: @whatisup/http-fastify builds the whole tenant API (it requires the
 * authenticator and the tenancy use cases, which a worker must not have) and exports no health or metrics
 * routes on their own; what it does export, the metrics registry and the Prometheus content type, is used
 * here. Answers follow the API's conventions: JSON, the error envelope with `unavailable` on 503, a
 * request id, and the same METRICS_TOKEN guard.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROMETHEUS_CONTENT_TYPE, type MetricsRegistry } from '@whatisup/http-fastify';
import type { Logger } from 'pino';

export interface OperationsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: MetricsRegistry;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`. */
  readonly bearerToken?: string | undefined;
  readonly readiness: () => Promise<Record<string, boolean | string>>;
  readonly logger: Logger;
}

export interface OperationsServer {
  /** e.g. http://127.0.0.1:3001 */
  readonly address: string;
  close(): Promise<void>;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export async function startOperationsServer(options: OperationsServerOptions): Promise<OperationsServer> {
  const expectedAuth = options.bearerToken === undefined ? null : digest(`Bearer ${options.bearerToken}`);

  const send = (res: ServerResponse, requestId: string, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'x-request-id': requestId, 'cache-control': 'no-store' });
    res.end(body);
  };
  const json = (res: ServerResponse, requestId: string, status: number, body: unknown) =>
    send(res, requestId, status, 'application/json; charset=utf-8', JSON.stringify(body));
  const error = (res: ServerResponse, requestId: string, status: number, code: string, message: string, details = {}) =>
    json(res, requestId, status, { error: { code, message, details }, request_id: requestId });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `req_${randomUUID().replace(/-/g, '')}`;
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return error(res, requestId, 404, 'not_found', `No route for ${req.method} ${path}.`);
    }
    switch (path) {
      case '/healthz':
        return json(res, requestId, 200, { status: 'ok' });
      case '/readyz': {
        const checks = await options.readiness().catch((err: unknown) => {
          options.logger.error({ err }, 'readiness check threw');
          return null;
        });
        if (checks === null) return error(res, requestId, 503, 'unavailable', 'Not ready: the readiness check failed.', { checks: {} });
        const failing = Object.keys(checks).filter((name) => checks[name] === false);
        if (failing.length > 0) return error(res, requestId, 503, 'unavailable', `Not ready: ${failing.join(', ')}.`, { checks });
        return json(res, requestId, 200, { status: 'ok', checks });
      }
      case '/metrics': {
        if (expectedAuth !== null && !timingSafeEqual(digest(req.headers.authorization ?? ''), expectedAuth)) {
          res.setHeader('www-authenticate', 'Bearer realm="whatisup"');
          return error(res, requestId, 401, 'unauthenticated', 'Send the metrics scrape token as "Authorization: Bearer <token>".');
        }
        return send(res, requestId, 200, PROMETHEUS_CONTENT_TYPE, await options.registry.render());
      }
      default:
        return error(res, requestId, 404, 'not_found', `No route for GET ${path}.`);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.logger.error({ err }, 'unexpected error on the operations port');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'internal_error', message: 'An internal error occurred.', details: {} } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    address: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
