/*
 * Where a staged outbox action stands (`GET /v1/actions/:id`): the `act_` ids the block, presence, read,
 * edit and revoke routes answer with. The action is the outbox's own row, read as it is.
 */
import type { GetAction } from '@whatisup/core';
import { ActionJson, toActionJson } from '@whatisup/core/messages';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams } from '../schemas/common-schemas.js';

export interface ActionRoutesDeps {
  readonly getAction: GetAction;
}

export function actionRoutes(deps: ActionRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/actions/:id',
      operationId: 'getAction',
      summary: 'Get an action',
      description:
        'Where an action staged with `202 {action_id}` stands: `queued` in the outbox (in order with the sends), ' +
        '`performed` once WhatsApp took it, or `failed` with the error `action.failed` carried. 404 for an id that is ' +
        'not an action of yours (a `msg_` id is a message: `GET /v1/messages/:id`).',
      tags: ['Actions'],
      params: IdParams,
      response: { status: 200, description: 'The action.', schema: ActionJson },
      errors: [404],
      handler: async ({ principal, params }) => toActionJson(await deps.getAction(principal, params)),
    }),
  ];
}
