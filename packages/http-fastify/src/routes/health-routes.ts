import * as v from 'valibot';
import { ApiError } from '../lib/api-error.js';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';

/**
 * Each dependency's health by name (`postgres`, `redis`, `sessions`, ...): true when usable, false when not,
 * or a word saying how it is provided and usable (`in-process`: embedded mode runs it inside the process).
 */
export type ReadinessCheck = () => Promise<Record<string, boolean | string>>;

export interface HealthRoutesDeps {
  readonly readiness: ReadinessCheck;
  /** Facts shown with the checks (e.g. the connection budget); absent: no `details`. */
  readonly details?: (() => Record<string, unknown>) | undefined;
}

const tags = ['Operations'];
const Checks = v.record(v.string(), v.union([v.boolean(), v.string()]));

export function healthRoutes(deps: HealthRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      operationId: 'getHealth',
      summary: 'Liveness',
      description: 'The process is up and serving. Checks nothing else.',
      tags,
      public: true,
      response: { status: 200, description: 'Alive.', schema: v.object({ status: v.literal('ok') }) },
      handler: async () => ({ status: 'ok' as const }),
    }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      operationId: 'getReadiness',
      summary: 'Readiness',
      description:
        'Whether every dependency (Postgres, Redis, sessions) is usable. 503 `unavailable` otherwise, with ' +
        'each check in `error.details.checks`.',
      tags,
      public: true,
      response: {
        status: 200,
        description: 'Ready.',
        schema: v.object({
          status: v.literal('ok'),
          checks: Checks,
          details: v.optional(
            v.pipe(v.record(v.string(), v.unknown()), v.description('E.g. `connections`: the connection and stream caps in force.')),
          ),
        }),
      },
      errors: [503],
      handler: async ({ request }) => {
        const details = deps.details?.();
        let checks: Record<string, boolean | string>;
        try {
          checks = await deps.readiness();
        } catch (error) {
          request.log.error({ err: error }, 'readiness check threw');
          throw new ApiError(503, 'unavailable', 'Not ready: the readiness check failed.', { checks: {} });
        }
        const failing = Object.keys(checks).filter((name) => checks[name] === false);
        if (failing.length > 0) {
          throw new ApiError(503, 'unavailable', `Not ready: ${failing.join(', ')}.`, { checks, ...(details === undefined ? {} : { details }) });
        }
        return { status: 'ok' as const, checks, ...(details === undefined ? {} : { details }) };
      },
    }),
  ];
}
