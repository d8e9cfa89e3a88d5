/*
 * `PATCH /v1/instances/:id/settings`: changes the given settings, keeps the others, and audits what changed
 * (`instance.settings_updated`, `{changed: {field: {from, to}}}`) in the same transaction. The running session
 * reads the settings when the events they govern happen; `onChanged` lets this node apply a change that
 * has an effect of its own at once (always_online), after the commit.
 */
import { actorOf, parseWithSchema, type Clock, type Principal, type UnitOfWork } from '../shared/index.js';
import { findInstanceInScope, type InstanceRepositories } from '../instances/index.js';
import type { InstanceSettingsRepositories } from './instance-settings-repository.js';
import type { InstanceSettings } from './instance-settings.js';
import { readInstanceSettings } from './read-instance-settings.js';
import { InstanceSettingsPatchBody } from './schemas/settings-schemas.js';

export type UpdateInstanceSettings = (principal: Principal, input: { readonly instanceId: string; readonly patch: unknown }) => Promise<InstanceSettings>;

export interface UpdateInstanceSettingsDeps {
  readonly uow: UnitOfWork<InstanceRepositories & InstanceSettingsRepositories>;
  readonly clock: Clock;
  /** Told after a change committed. Must not throw. */
  readonly onChanged?: (instance: { readonly customerId: string; readonly id: string }, before: InstanceSettings, after: InstanceSettings) => void;
}

const FIELDS = {
  reject_calls: 'rejectCalls',
  call_reply_text: 'callReplyText',
  always_online: 'alwaysOnline',
  send_read_receipts: 'sendReadReceipts',
} as const;

/** Throws invalid_input (no setting, an unknown one, a wrong type), not_found, forbidden. */
export function createUpdateInstanceSettings(deps: UpdateInstanceSettingsDeps): UpdateInstanceSettings {
  return async (principal, { instanceId, patch }) => {
    const body = parseWithSchema(InstanceSettingsPatchBody, patch);
    const instance = await findInstanceInScope(deps.uow.repos, principal, instanceId);
    const now = deps.clock.now();
    const { before, after } = await deps.uow.transaction(async (repos) => {
      const before = await readInstanceSettings(repos, instance);
      let next: InstanceSettings = before;
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      for (const [wire, field] of Object.entries(FIELDS) as Array<[keyof typeof FIELDS, (typeof FIELDS)[keyof typeof FIELDS]]>) {
        const value = body[wire];
        if (value === undefined || value === before[field]) continue;
        changed[wire] = { from: before[field], to: value };
        next = { ...next, [field]: value };
      }
      if (Object.keys(changed).length === 0) return { before, after: before };
      const after = await repos.instanceSettings.save(principal.customerId, instance.id, { ...next, updatedAt: now });
      await repos.audit.append({
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'instance.settings_updated',
        targetType: 'instance',
        targetId: instance.id,
        instanceId: instance.id,
        data: { changed },
        occurredAt: now,
      });
      return { before, after };
    });
    if (after !== before) deps.onChanged?.(instance, before, after);
    return after;
  };
}
