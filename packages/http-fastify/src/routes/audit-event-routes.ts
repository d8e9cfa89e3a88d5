import type { ListAuditEvents } from '@whatisup/core';
import { AuditEventJson, auditEventFilterEntries, toAuditEventJson } from '@whatisup/core/tenancy';
import * as v from 'valibot';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { pageOf, pageQueryEntries } from '../schemas/common-schemas.js';

const AuditEventsQuery = v.object({ ...pageQueryEntries, ...auditEventFilterEntries });

export interface AuditEventRoutesDeps {
  readonly listAuditEvents: ListAuditEvents;
}

export function auditEventRoutes(deps: AuditEventRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/audit-events',
      operationId: 'listAuditEvents',
      summary: 'List audit events',
      description:
        'Every state change, with the key that made it, newest first. A key bound to an instance sees ' +
        "only that instance's events.",
      tags: ['Audit'],
      query: AuditEventsQuery,
      response: { status: 200, description: 'A page of audit events.', schema: pageOf(AuditEventJson) },
      errors: [403],
      handler: async ({ principal, query }) => {
        const page = await deps.listAuditEvents(principal, {
          limit: query.limit,
          cursor: query.cursor,
          instanceId: query.instance_id,
        });
        return { data: page.data.map(toAuditEventJson), next_cursor: page.nextCursor };
      },
    }),
  ];
}
