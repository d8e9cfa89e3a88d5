/* Instance settings in memory, with the Postgres adapter's semantics: one record per instance, replaced on save. */
import type { InstanceSettings, InstanceSettingsRepository } from '../settings/index.js';
import type { InMemoryState } from './in-memory-state.js';

type Row = InstanceSettings & { readonly customerId: string };

export function createInMemoryInstanceSettingsRepository(state: InMemoryState): InstanceSettingsRepository {
  const rows = state['instanceSettings'] as Map<string, Row>;
  return {
    async find(customerId, instanceId) {
      const row = rows.get(instanceId);
      if (row === undefined || row.customerId !== customerId) return null;
      const { customerId: _, ...settings } = row;
      return settings;
    },
    async save(customerId, instanceId, settings) {
      const instance = state.instances.get(instanceId);
      if (instance === undefined || instance.customerId !== customerId) throw new Error(`No instance ${instanceId} of customer ${customerId}.`);
      const { updatedAt, rejectCalls, callReplyText, alwaysOnline, sendReadReceipts } = settings;
      rows.set(instanceId, { customerId, rejectCalls, callReplyText, alwaysOnline, sendReadReceipts, updatedAt });
      return { rejectCalls, callReplyText, alwaysOnline, sendReadReceipts, updatedAt };
    },
  };
}
