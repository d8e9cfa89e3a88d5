import type {
  GetWebhookDelivery,
  ListWebhookDeliveries,
  RecoverWebhookDeliveries,
  ReplayWebhookDelivery,
} from '@whatisup/core';
import {
  RecoverWebhookDeliveriesBody,
  RecoveredJson,
  WebhookDeliveryDetailJson,
  WebhookDeliveryJson,
  toWebhookDeliveryDetailJson,
  toWebhookDeliveryJson,
  webhookDeliveryFilterEntries,
} from '@whatisup/core/webhooks';
import * as v from 'valibot';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams, pageOf, pageQueryEntries } from '../schemas/common-schemas.js';

const WebhookDeliveriesQuery = v.object({ ...pageQueryEntries, ...webhookDeliveryFilterEntries });

/** Core's webhook delivery use cases, named as the composition root names them. */
export interface WebhookDeliveryRoutesDeps {
  readonly listWebhookDeliveries: ListWebhookDeliveries;
  readonly getWebhookDelivery: GetWebhookDelivery;
  readonly replayWebhookDelivery: ReplayWebhookDelivery;
  readonly recoverWebhookDeliveries: RecoverWebhookDeliveries;
}

const tags = ['Webhook deliveries'];

export function webhookDeliveryRoutes(deps: WebhookDeliveryRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/webhook-deliveries',
      operationId: 'listWebhookDeliveries',
      summary: 'List webhook deliveries',
      description:
        'One delivery per (event, endpoint), newest first, without payloads. Filters combine. A key bound to ' +
        'an instance sees only that instance’s deliveries (403 when it asks for another).',
      tags,
      query: WebhookDeliveriesQuery,
      response: { status: 200, description: 'A page of deliveries.', schema: pageOf(WebhookDeliveryJson) },
      errors: [403],
      handler: async ({ principal, query }) => {
        const page = await deps.listWebhookDeliveries(principal, {
          limit: query.limit,
          cursor: query.cursor,
          status: query.status,
          event: query.event,
          instanceId: query.instance_id,
          endpointId: query.endpoint_id,
        });
        return { data: page.data.map(toWebhookDeliveryJson), next_cursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhook-deliveries/:id',
      operationId: 'getWebhookDelivery',
      summary: 'Get a webhook delivery',
      description:
        'With its payload as the exact JSON text signed and sent (`raw_payload`: re-check a signature against ' +
        'it, or JSON.parse it), and every attempt: time, duration, response status, error and the start of ' +
        'the response body.',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The delivery with its attempts.', schema: WebhookDeliveryDetailJson },
      errors: [403, 404],
      handler: async ({ principal, params }) =>
        toWebhookDeliveryDetailJson(await deps.getWebhookDelivery(principal, params)),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhook-deliveries/:id/replay',
      operationId: 'replayWebhookDelivery',
      summary: 'Replay a webhook delivery',
      description:
        'Sends the stored payload again (same bytes, same `event_id`) as a new series of attempts with the ' +
        'full retry schedule; earlier attempts stay listed. Any status may be replayed. 409 `conflict` when ' +
        'the endpoint is disabled or an attempt is in flight.',
      tags,
      params: IdParams,
      response: { status: 202, description: 'Queued again.', schema: WebhookDeliveryJson },
      errors: [403, 404, 409],
      handler: async ({ principal, params }) => toWebhookDeliveryJson(await deps.replayWebhookDelivery(principal, params)),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhook-deliveries/recover',
      operationId: 'recoverWebhookDeliveries',
      summary: 'Re-send failed deliveries of an endpoint',
      description:
        'Replays every `failed` delivery of the endpoint created at or after `since` (an ISO-8601 time ' +
        'with a zone, not in the future), e.g. once the receiver is back up. 409 `conflict` when the ' +
        'endpoint is disabled.',
      tags,
      body: RecoverWebhookDeliveriesBody,
      response: { status: 202, description: 'How many deliveries were queued again.', schema: RecoveredJson },
      errors: [403, 404, 409],
      handler: async ({ principal, body }) =>
        deps.recoverWebhookDeliveries(principal, { endpointId: body.endpoint_id, since: body.since }),
    }),
  ];
}
