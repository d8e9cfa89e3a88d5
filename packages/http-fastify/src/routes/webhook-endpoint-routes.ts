import type {
  CreateWebhookEndpoint,
  DeleteWebhookEndpoint,
  GetWebhookEndpoint,
  ListWebhookEndpoints,
  RotateWebhookSecret,
  SendTestWebhook,
  UpdateWebhookEndpoint,
} from '@whatisup/core';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams, PageQuery, pageOf } from '../schemas/common-schemas.js';
import {
  CreateWebhookEndpointBody,
  RotateWebhookSecretBody,
  UpdateWebhookEndpointBody,
  WebhookEndpointJson,
  WebhookEndpointWithSecretJson,
  WebhookTestJson,
  toWebhookEndpointJson,
  toWebhookEndpointWithSecretJson,
} from '@whatisup/core/webhooks';

/** Core's webhook endpoint use cases, named as the composition root names them. */
export interface WebhookEndpointRoutesDeps {
  readonly createWebhookEndpoint: CreateWebhookEndpoint;
  readonly listWebhookEndpoints: ListWebhookEndpoints;
  readonly getWebhookEndpoint: GetWebhookEndpoint;
  readonly updateWebhookEndpoint: UpdateWebhookEndpoint;
  readonly deleteWebhookEndpoint: DeleteWebhookEndpoint;
  readonly rotateWebhookSecret: RotateWebhookSecret;
  readonly sendTestWebhook: SendTestWebhook;
}

const tags = ['Webhook endpoints'];
const SCOPE_NOTE = 'A key bound to an instance manages only endpoints bound to that instance (403 for the others).';

export function webhookEndpointRoutes(deps: WebhookEndpointRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      operationId: 'createWebhookEndpoint',
      summary: 'Create a webhook endpoint',
      description:
        'The signing secret is in this response only (`signing_secret`); it is stored encrypted and never ' +
        'shown again (rotate it to get a new one). A URL that resolves to a private, loopback or metadata ' +
        'address is refused with 422 `unsafe_url`, the reason in `error.details.reason`. ' +
        SCOPE_NOTE,
      tags,
      body: CreateWebhookEndpointBody,
      response: { status: 201, description: 'The new endpoint, with its secret.', schema: WebhookEndpointWithSecretJson },
      errors: [403, 404, 422],
      handler: async ({ principal, body }) =>
        toWebhookEndpointWithSecretJson(
          await deps.createWebhookEndpoint(principal, {
            url: body.url,
            events: body.events,
            instanceId: body.instance_id,
            description: body.description,
            enabled: body.enabled,
            signingSecret: body.signing_secret,
          }),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhook-endpoints',
      operationId: 'listWebhookEndpoints',
      summary: 'List webhook endpoints',
      description: 'Newest first. Secrets are never listed. A key bound to an instance sees only that instance’s endpoints.',
      tags,
      query: PageQuery,
      response: { status: 200, description: 'A page of endpoints.', schema: pageOf(WebhookEndpointJson) },
      handler: async ({ principal, query }) => {
        const page = await deps.listWebhookEndpoints(principal, { limit: query.limit, cursor: query.cursor });
        return { data: page.data.map(toWebhookEndpointJson), next_cursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhook-endpoints/:id',
      operationId: 'getWebhookEndpoint',
      summary: 'Get a webhook endpoint',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The endpoint, without its secret.', schema: WebhookEndpointJson },
      errors: [403, 404],
      handler: async ({ principal, params }) => toWebhookEndpointJson(await deps.getWebhookEndpoint(principal, params)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/webhook-endpoints/:id',
      operationId: 'updateWebhookEndpoint',
      summary: 'Update a webhook endpoint',
      description:
        'Absent fields are left as they are; `description: null` clears it. A new URL is checked like a new ' +
        'endpoint’s (422 `unsafe_url`). `enabled: true` re-enables an endpoint disabled by a 410 or by hand.',
      tags,
      params: IdParams,
      body: UpdateWebhookEndpointBody,
      response: { status: 200, description: 'The updated endpoint.', schema: WebhookEndpointJson },
      errors: [403, 404, 422],
      handler: async ({ principal, params, body }) =>
        toWebhookEndpointJson(
          await deps.updateWebhookEndpoint(principal, {
            id: params.id,
            url: body.url,
            events: body.events,
            description: body.description,
            enabled: body.enabled,
          }),
        ),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/webhook-endpoints/:id',
      operationId: 'deleteWebhookEndpoint',
      summary: 'Delete a webhook endpoint',
      description: 'Deletes it with its deliveries; pending ones are never sent. Returns the endpoint as it was.',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The deleted endpoint.', schema: WebhookEndpointJson },
      errors: [403, 404],
      handler: async ({ principal, params }) => toWebhookEndpointJson(await deps.deleteWebhookEndpoint(principal, params)),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhook-endpoints/:id/rotate-secret',
      operationId: 'rotateWebhookSecret',
      summary: 'Rotate a webhook endpoint’s signing secret',
      description:
        'The new secret is in this response only. The previous one keeps signing beside it (two signatures ' +
        'per request) until `previous_secret_expires_at`, 24 hours from now. The body is optional: send ' +
        '`signing_secret` to choose the new secret.',
      tags,
      params: IdParams,
      body: RotateWebhookSecretBody,
      response: { status: 200, description: 'The endpoint, with its new secret.', schema: WebhookEndpointWithSecretJson },
      errors: [403, 404],
      handler: async ({ principal, params, body }) =>
        toWebhookEndpointWithSecretJson(
          await deps.rotateWebhookSecret(principal, { id: params.id, signingSecret: body.signing_secret }),
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhook-endpoints/:id/test',
      operationId: 'sendTestWebhook',
      summary: 'Send a test event',
      description:
        'Records a `webhook.test` event for this endpoint only and delivers it like any other (signed, ' +
        'retried, listed in the deliveries). 409 `conflict` when the endpoint is disabled.',
      tags,
      params: IdParams,
      response: { status: 202, description: 'Accepted for delivery.', schema: WebhookTestJson },
      errors: [403, 404, 409],
      handler: async ({ principal, params }) => {
        const recorded = await deps.sendTestWebhook(principal, params);
        return { event_id: recorded.envelope.event_id, delivery_id: recorded.deliveryId };
      },
    }),
  ];
}
