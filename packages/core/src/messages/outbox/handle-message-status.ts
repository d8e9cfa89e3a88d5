/*
 * Receipts for messages we sent: WhatsApp's `sent` (server ack), `delivered` and `read`, per recipient
 * device or, in a group, per participant. The status only moves forward (a late `delivered` never undoes
 * `read`), so in a group the FIRST participant's delivered/read advances the message and the entry in its
 * history names that participant; later participants' receipts change nothing and record nothing (a big
 * group would otherwise write one row per member). Each advance records `message.delivered` or
 * `message.read` with the same keys as every `message.*` event, plus `participant` in a group.
 *
 * A receipt can overtake our own bookkeeping: WhatsApp may report `delivered` before the drainer's
 * `markSent` committed. Such a receipt (no message with that WhatsApp id yet) is parked in a small bounded
 * buffer and applied by `applyParked` when the drainer reports the send (its `onSent` hook).
 *
 * A receipt from a session running under a lease (several nodes) is applied only while that lease holds:
 * a node that lost the instance records nothing more for it.
 */
import type { Clock, UnitOfWork } from '../../shared/index.js';
import type { Message } from '../message.js';
import type { MessageStatusUpdate, SessionInstance } from '../../sessions/index.js';
import type { EventRecorder } from '../../events/index.js';
import type { MessageRepositories } from '../message-repositories.js';
import type { LeaseFence } from '../../cluster/index.js';
import { messageEvent } from '../message-event-data.js';

export interface MessageStatusHandlerDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
  readonly clock: Clock;
  readonly events: EventRecorder;
  /** Receipts kept while their message is not yet marked sent. Default 1,000. */
  readonly maxParked?: number;
  /** A parked receipt is dropped after this long. Default 60 s. */
  readonly parkTtlMs?: number;
  /** Told each status a receipt moved a message to, after it committed (metrics). Must not throw. */
  readonly onStatus?: (to: 'delivered' | 'read') => void;
}

export interface MessageStatusHandler {
  /** Applies a receipt (the session manager's `onMessageStatus`). Unknown WhatsApp ids are parked, then dropped. */
  handleMessageStatus(instance: Pick<SessionInstance, 'id' | 'fence'>, update: MessageStatusUpdate): Promise<void>;
  /** Applies receipts parked for a message that has just been marked sent (the drainer's `onSent`). */
  applyParked(message: Message): Promise<void>;
}

type Parked = { readonly instanceId: string; readonly update: MessageStatusUpdate; readonly parkedAt: number };

export function createMessageStatusHandler(deps: MessageStatusHandlerDeps): MessageStatusHandler {
  const { uow, clock, events } = deps;
  const maxParked = deps.maxParked ?? 1_000;
  const parkTtlMs = deps.parkTtlMs ?? 60_000;
  const parked = new Map<string, Parked[]>();
  let parkedCount = 0;

  function park(instanceId: string, update: MessageStatusUpdate): void {
    const now = clock.now().getTime();
    for (const [key, list] of parked) {
      if (parkedCount < maxParked && list[0]!.parkedAt > now - parkTtlMs) break;
      parked.delete(key); // oldest first (insertion order): expired, or making room
      parkedCount -= list.length;
    }
    const key = `${instanceId}/${update.whatsappId}`;
    const list = parked.get(key) ?? [];
    list.push({ instanceId, update, parkedAt: now });
    parked.set(key, list);
    parkedCount += 1;
  }

  /**
   * True when a message with that WhatsApp id exists (whether or not the receipt advanced it), or when the
   * fence is stale (nothing to park: the receipt is not ours to record).
   */
  async function apply(instanceId: string, update: MessageStatusUpdate, fence: LeaseFence | null = null): Promise<boolean> {
    const participant = update.participant ?? null;
    const result = await uow.transaction(async (repos, tx) => {
      if (fence !== null && !(await repos.leases.holds(fence, clock.now()))) return 'stale' as const;
      const marked = await repos.messages.markStatus(instanceId, update.whatsappId, { status: update.status, at: update.at, participant });
      if (marked === null) return null;
      if (marked.advanced && update.status !== 'sent') {
        const name = update.status === 'read' ? 'message.read' : 'message.delivered';
        const extra = participant === null ? {} : { participant };
        await events.record(repos, tx, messageEvent(name, marked.message, update.at, extra));
      }
      return marked;
    });
    if (result === null) return false;
    if (result === 'stale') return true;
    if (result.advanced && update.status !== 'sent') deps.onStatus?.(update.status);
    return true;
  }

  return {
    async handleMessageStatus(instance, update) {
      if (!(await apply(instance.id, update, instance.fence ?? null))) park(instance.id, update);
    },
    async applyParked(message) {
      if (message.whatsappId === null) return;
      const key = `${message.instanceId}/${message.whatsappId}`;
      const list = parked.get(key);
      if (list === undefined) return;
      parked.delete(key);
      parkedCount -= list.length;
      for (const { instanceId, update } of list) await apply(instanceId, update);
    },
  };
}
