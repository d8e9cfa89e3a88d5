import type { CreateInstance, DeleteInstance, GetInstance, ListInstances } from '@whatisup/core';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams, PageQuery, pageOf } from '../schemas/common-schemas.js';
import { CreateInstanceBody, InstanceJson, toInstanceJson } from '@whatisup/core/instances';

export interface InstanceRoutesDeps {
  readonly createInstance: CreateInstance;
  readonly listInstances: ListInstances;
  readonly getInstance: GetInstance;
  readonly deleteInstance: DeleteInstance;
}

const tags = ['Instances'];

export function instanceRoutes(deps: InstanceRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/instances',
      operationId: 'createInstance',
      summary: 'Create an instance',
      description: 'One instance is one WhatsApp number. It starts `pending`; connect it to pair a phone.',
      tags,
      body: CreateInstanceBody,
      response: { status: 201, description: 'The new instance.', schema: InstanceJson },
      errors: [403, 409],
      handler: async ({ principal, body }) => toInstanceJson(await deps.createInstance(principal, body)),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/instances',
      operationId: 'listInstances',
      summary: 'List instances',
      description: 'Newest first. A key bound to an instance sees only that instance.',
      tags,
      query: PageQuery,
      response: { status: 200, description: 'A page of instances.', schema: pageOf(InstanceJson) },
      handler: async ({ principal, query }) => {
        const page = await deps.listInstances(principal, { limit: query.limit, cursor: query.cursor });
        return { data: page.data.map(toInstanceJson), next_cursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/instances/:id',
      operationId: 'getInstance',
      summary: 'Get an instance',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The instance.', schema: InstanceJson },
      errors: [403, 404],
      handler: async ({ principal, params }) => toInstanceJson(await deps.getInstance(principal, params)),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/instances/:id',
      operationId: 'deleteInstance',
      summary: 'Delete an instance',
      description:
        'Stops its session, logs the device out, revokes the API keys bound to it and soft-deletes it ' +
        '(its name becomes free). Returns the deleted instance: `status` `disconnected`, `status_reason` `deleted`, ' +
        '`deleted_at` set. Reading or deleting it again is a 404.',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The deleted instance.', schema: InstanceJson },
      errors: [403, 404],
      handler: async ({ principal, params }) => toInstanceJson(await deps.deleteInstance(principal, params)),
    }),
  ];
}
