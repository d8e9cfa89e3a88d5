export { buildHttpApp, DEFAULT_BODY_LIMIT_BYTES } from './build-http-app.js';
export type { HttpAppDeps, HttpUseCases, HttpLoggerOptions } from './http-app-deps.js';
export type { Authenticator } from './plugins/authentication.js';
export type { ReadinessCheck } from './routes/health-routes.js';
export type { ApiInfo } from './openapi/build-openapi-document.js';
export { defineRoute, type RouteSpec, type RouteContext } from './lib/route-spec.js';
export type { AnyRouteSpec } from './lib/create-router.js';
export { ApiError } from './lib/api-error.js';
export { DOMAIN_ERROR_STATUS } from './lib/domain-error-status.js';
