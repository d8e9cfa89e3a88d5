/*
 * What the settings make the running session do, applied where the session runs, when the events they
 * govern happen (the settings are read from the repository each time, so a change made on any node takes
 * effect at the next event without a reload):
 *
 * - `always_online`: when the instance connects, and on this node at once when the setting is turned on or
 *   off, the account's presence is set `available` (or, turned off, `unavailable`). WhatsApp keeps it until
 *   the connection drops, and every reconnect sets it again. A change made on another node than the one
 *   running the session takes effect at the next connect, or within `refreshMs` (the periodic refresh).
 * - `send_read_receipts`: every inbound message is marked read as it arrives.
 *
 * Both are performed at once through the session rather than staged: neither must wait behind queued sends,
 * and neither changes anything an integrator would want ordered with them. Failures are reported, not thrown:
 * a missed blue tick must not hold the inbound message's handling.
 */
import type { UnitOfWork } from '../shared/index.js';
import type { InboundMessage, SessionSender } from '../sessions/index.js';
import type { InstanceSettingsRepositories } from './instance-settings-repository.js';
import type { InstanceSettings } from './instance-settings.js';
import { readInstanceSettings } from './read-instance-settings.js';

type InstanceRef = { readonly customerId: string; readonly id: string };

export interface SettingsEffectsDeps {
  readonly uow: UnitOfWork<InstanceSettingsRepositories>;
  readonly sender: Pick<SessionSender, 'perform' | 'isLive'>;
  /** Told what failed; the caller logs it. */
  readonly onError?: (error: unknown, context: { readonly instanceId: string; readonly effect: string }) => void;
}

export interface SettingsEffects {
  /** The instance connected (here): show it online when `always_online`. */
  onConnected(instance: InstanceRef): Promise<void>;
  /** A message arrived: mark it read when `send_read_receipts`. */
  onInbound(instance: InstanceRef, message: InboundMessage): Promise<void>;
  /** The settings changed (on this node): apply `always_online` now when the session runs here. */
  onChanged(instance: InstanceRef, before: InstanceSettings, after: InstanceSettings): Promise<void>;
  /** Sets every live instance with `always_online` online again (the periodic refresh). */
  refresh(instances: readonly InstanceRef[]): Promise<void>;
}

export function createSettingsEffects(deps: SettingsEffectsDeps): SettingsEffects {
  const report = (error: unknown, instanceId: string, effect: string) => deps.onError?.(error, { instanceId, effect });

  async function presence(instance: InstanceRef, state: 'available' | 'unavailable'): Promise<void> {
    if (!deps.sender.isLive(instance.id)) return;
    try {
      await deps.sender.perform(instance, { type: 'presence', state, chat: null });
    } catch (error) {
      report(error, instance.id, 'always_online');
    }
  }

  async function onConnected(instance: InstanceRef): Promise<void> {
    const settings = await readInstanceSettings(deps.uow.repos, instance);
    if (settings.alwaysOnline) await presence(instance, 'available');
  }

  return {
    onConnected,
    async onInbound(instance, message) {
      if (message.fromMe) return;
      const settings = await readInstanceSettings(deps.uow.repos, instance);
      if (!settings.sendReadReceipts) return;
      try {
        await deps.sender.perform(instance, { type: 'read', chat: message.chatId, messageIds: [message.messageId] });
      } catch (error) {
        report(error, instance.id, 'send_read_receipts');
      }
    },
    async onChanged(instance, before, after) {
      if (before.alwaysOnline !== after.alwaysOnline) await presence(instance, after.alwaysOnline ? 'available' : 'unavailable');
    },
    async refresh(instances) {
      for (const instance of instances) await onConnected(instance);
    },
  };
}
