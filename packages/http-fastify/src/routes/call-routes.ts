/*
 * Declining an incoming call. The call is known only to the process that runs the instance's session (it
 * saw the call ring and holds the socket), so the composition root forwards the request to that node.
 */
import { CallJson, CallParams, toCallJson, type RejectCall } from '@whatisup/core';
import type { AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';

export interface CallRoutesDeps {
  readonly rejectCall: RejectCall;
}

export function callRoutes(deps: CallRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/instances/:id/calls/:call_id/reject',
      operationId: 'rejectCall',
      summary: 'Decline a ringing call',
      description:
        'Declines the call `call.offered` announced, at once (not queued behind messages): the caller sees it declined ' +
        'and `call.terminated` follows with `reason: "rejected"`, `rejected_by: "api"`. 404 for a call this instance ' +
        'never saw (or saw more than an hour ago), 409 `conflict` once it ended (declined, answered, missed, hung up), ' +
        '409 `not_connected` without a connected session, 503 when WhatsApp did not take it.',
      tags: ['Calls'],
      params: CallParams,
      response: { status: 200, description: 'Declined; the call as it now stands.', schema: CallJson },
      errors: [403, 404, 409, 503],
      handler: async ({ principal, params }) => toCallJson(await deps.rejectCall(principal, { instanceId: params.id, callId: params.call_id })),
    }),
  ];
}
