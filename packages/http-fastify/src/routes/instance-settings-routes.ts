/* How an instance's session behaves: calls, presence and read receipts. */
import {
  InstanceSettingsJson,
  InstanceSettingsPatchBody,
  toInstanceSettingsJson,
  type GetInstanceSettings,
  type UpdateInstanceSettings,
} from '@whatisup/core';
import type { AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams } from '../schemas/common-schemas.js';

export interface InstanceSettingsRoutesDeps {
  readonly getInstanceSettings: GetInstanceSettings;
  readonly updateInstanceSettings: UpdateInstanceSettings;
}

const tags = ['Instance settings'];

export function instanceSettingsRoutes(deps: InstanceSettingsRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/instances/:id/settings',
      operationId: 'getInstanceSettings',
      summary: 'Show the instance settings',
      description: 'Every setting, with its default until changed.',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The settings.', schema: InstanceSettingsJson },
      errors: [403, 404],
      handler: async ({ principal, params }) =>
        toInstanceSettingsJson(params.id, await deps.getInstanceSettings(principal, { instanceId: params.id })),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/instances/:id/settings',
      operationId: 'updateInstanceSettings',
      summary: 'Change the instance settings',
      description:
        'Changes the settings given and keeps the others (audited as `instance.settings_updated`). The running ' +
        'session reads them when a call rings, a message arrives or the instance connects, so a change applies from ' +
        'the next such event; `always_online` also applies at once.',
      tags,
      params: IdParams,
      body: InstanceSettingsPatchBody,
      response: { status: 200, description: 'The settings after the change.', schema: InstanceSettingsJson },
      errors: [403, 404],
      handler: async ({ principal, params, body }) =>
        toInstanceSettingsJson(params.id, await deps.updateInstanceSettings(principal, { instanceId: params.id, patch: body })),
    }),
  ];
}
