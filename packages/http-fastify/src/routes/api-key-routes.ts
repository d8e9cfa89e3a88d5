import {
  ApiKeyJson,
  CreateApiKeyBody,
  CreatedApiKeyJson,
  toApiKeyJson,
  toCreatedApiKeyJson,
  type CreateApiKey,
  type ListApiKeys,
  type RevokeApiKey,
} from '@whatisup/core';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams, PageQuery, pageOf } from '../schemas/common-schemas.js';

export interface ApiKeyRoutesDeps {
  readonly createApiKey: CreateApiKey;
  readonly listApiKeys: ListApiKeys;
  readonly revokeApiKey: RevokeApiKey;
}

const tags = ['API keys'];

export function apiKeyRoutes(deps: ApiKeyRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/api-keys',
      operationId: 'createApiKey',
      summary: 'Create an API key',
      description:
        'The full key is in this response only (`key`); it is stored as a keyed hash and cannot be shown ' +
        'again. A key bound to an instance can only create keys bound to that same instance.',
      tags,
      body: CreateApiKeyBody,
      response: { status: 201, description: 'The new key, with its secret.', schema: CreatedApiKeyJson },
      errors: [403, 404],
      handler: async ({ principal, body }) =>
        toCreatedApiKeyJson(
          await deps.createApiKey(principal, {
            name: body.name,
            instanceId: body.instance_id,
            expiresAt: body.expires_at,
          }),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/api-keys',
      operationId: 'listApiKeys',
      summary: 'List API keys',
      description: 'Newest first, revoked and expired keys included. Secrets are never listed.',
      tags,
      query: PageQuery,
      response: { status: 200, description: 'A page of API keys.', schema: pageOf(ApiKeyJson) },
      handler: async ({ principal, query }) => {
        const page = await deps.listApiKeys(principal, { limit: query.limit, cursor: query.cursor });
        return { data: page.data.map(toApiKeyJson), next_cursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/api-keys/:id',
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      description: 'Takes effect at once. Revoking a revoked key returns it unchanged.',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The revoked key.', schema: ApiKeyJson },
      errors: [403, 404],
      handler: async ({ principal, params }) => toApiKeyJson(await deps.revokeApiKey(principal, { id: params.id })),
    }),
  ];
}
