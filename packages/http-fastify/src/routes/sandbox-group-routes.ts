import { SandboxGroupEventBody, SandboxGroupEventJson, toSandboxGroupEvent, toSandboxGroupEventJson, type SandboxControls } from '@whatisup/core';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams } from '../schemas/common-schemas.js';

/** The session manager satisfies it. */
export interface SandboxGroupRoutesDeps {
  readonly sandbox: Pick<SandboxControls, 'sandboxGroupEvent'>;
}

export function sandboxGroupRoutes(deps: SandboxGroupRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/instances/:id/sandbox/group-events',
      operationId: 'injectSandboxGroupEvent',
      summary: 'Simulate what another person does in a sandbox group',
      description:
        'Plays another person’s move in a group of a connected sandbox instance: adding this number to a new group, ' +
        'asking to join, joining, leaving, renaming. It is reported exactly as a phone reports it (the `group.*` events ' +
        'on webhooks and `GET /v1/events`). 404 when this number is not in `group_id`. Sandbox instances only.',
      tags: ['Sandbox'],
      params: IdParams,
      body: SandboxGroupEventBody,
      response: { status: 201, description: 'What the session reported.', schema: SandboxGroupEventJson },
      errors: [403, 404, 409],
      handler: async ({ principal, params, body }) =>
        toSandboxGroupEventJson(await deps.sandbox.sandboxGroupEvent(principal, params.id, toSandboxGroupEvent(body))),
    }),
  ];
}
