/*
 * The HTTP app, built but not listening (the composition root calls `listen`; tests call `inject`).
 * Route groups are plain lists of route declarations (`routes/*-routes.ts`); the shared plumbing lives in
 * `plugins/` (error envelope, authentication, docs) and `lib/`.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { HttpAppDeps } from './http-app-deps.js';
import { DEFAULT_AUTH_FAILURE_LIMIT, createAuthFailureThrottle } from './lib/auth-failure-throttle.js';
import { handleClientError } from './lib/client-error-handler.js';
import { createRouter } from './lib/create-router.js';
import { loggerOptions } from './lib/logger-options.js';
import { REQUEST_ID_HEADER, generateRequestId } from './lib/request-id.js';
import { installApiDocs } from './plugins/api-docs.js';
import { installAuthentication } from './plugins/authentication.js';
import { installClosingGate } from './plugins/closing-gate.js';
import { installJsonBodies } from './plugins/json-bodies.js';
import { installHttpMetrics } from './plugins/metrics.js';
import { installRateLimiting } from './plugins/rate-limiting.js';
import { installRequestContext } from './plugins/request-context.js';
import { installRequestLog } from './plugins/request-log.js';
import { handleFrameworkError, installErrorHandling } from './plugins/error-handling.js';
import { apiKeyRoutes } from './routes/api-key-routes.js';
import { auditEventRoutes } from './routes/audit-event-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { instanceRoutes } from './routes/instance-routes.js';
import { limitRoutes } from './routes/limit-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

const hopsOf = (hops: number) => (_address: string, hop: number): boolean => hop < hops;

export async function buildHttpApp(deps: HttpAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggerOptions(deps.logger),
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    genReqId: generateRequestId,
    requestIdHeader: false,
    logController: new LogController({
      // Every line a request logs carries its id under the name the error envelope and header use.
      requestIdLogLabel: 'request_id',
      // One line per request instead of Fastify's two (plugins/request-log.ts).
      disableRequestLogging: true,
    }),
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: handleClientError,
    return503OnClosing: false,
    // A hop count trusts that many proxies in front (Fastify's types take it only as a function).
    trustProxy: typeof deps.trustProxy === 'number' ? hopsOf(deps.trustProxy) : (deps.trustProxy ?? false),
    // Signed media tokens are ~175 characters; find-my-way refuses longer parameters than 100 by default.
    routerOptions: { maxParamLength: 1024 },
  });
  const limits = deps.connectionLimits;
  // Beyond this Node closes a new socket on accept: the descriptors it would take belong to Postgres & co.
  if (limits !== undefined) app.server.maxConnections = limits.plan.maxConnections;
  installRequestContext(app, deps.tracing);
  installRequestLog(app);
  installJsonBodies(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  installErrorHandling(app);
  installClosingGate(app);
  const authFailureLimit = deps.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT;
  installAuthentication(app, deps.authenticator, authFailureLimit === false ? null : createAuthFailureThrottle(authFailureLimit));
  if (deps.rateLimiter) installRateLimiting(app, { limiter: deps.rateLimiter, metrics: deps.metrics?.registry, chargedByForwarder: deps.chargedByForwarder });
  if (deps.metrics) installHttpMetrics(app, deps.metrics.registry);

  const router = createRouter(app, { validateResponses: deps.validateResponses ?? false });
  const routes = [
    ...healthRoutes({
      readiness: deps.readiness ?? (async () => ({})),
      details: limits === undefined ? undefined : () => ({ connections: limits.describe() }),
    }),
    ...instanceRoutes(deps.useCases),
    ...apiKeyRoutes(deps.useCases),
    ...auditEventRoutes(deps.useCases),
    ...(deps.rateLimiter ? limitRoutes(deps.rateLimiter, deps.webhookEndpointLimits) : []),
    ...(deps.metrics ? metricsRoutes(deps.metrics) : []),
    ...(deps.routes ?? []),
  ];
  routes.forEach((route) => router.route(route));
  installApiDocs(app, router, deps.info);

  await app.ready();
  return app;
}
