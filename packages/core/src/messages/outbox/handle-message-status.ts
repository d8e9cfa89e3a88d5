/*
 * Receipts for messages we sent: WhatsApp's `sent` (server ack), `delivered` and `read`, per recipient
 * device or, in a group, per participant. The status only moves forward (a late `delivered` never undoes
 * `read`), so in a group the FIRST participant's delivered/read advances the message and the entry in its
 * history names that participant; later participants' receipts change nothing and record nothing (a big
 * group would otherwise write one row per member). Each advance records `message.delivered` or
 * `message.read` with the same keys as every `message.*` event, plus `participant` in a group.
 *
 * A server ack is not looked up at all: a message gets its WhatsApp id from `markSent`, which also makes it
 * `sent`, so an ack can never move one.
 *
 * A receipt can overtake our own bookkeeping: WhatsApp may report `delivered` before the drainer's
 * `markSent` committed. Such a receipt (no message with that WhatsApp id yet) is parked in a small bounded
 * buffer and applied by `applyParked` when the drainer reports the send (its `onSent` hook).
 *
 * A `played` receipt (a voice note listened to) moves the message to `read` at most, as `read` would, and
 * records `message.played` for every such receipt (in a group, one per participant who played it): there is
 * no `played` status to advance, and "who listened" is the point of the event. A group receipt names the
 * participant by both addresses (`by`), completed from the LIDs the customer learnt.
 *
 * A receipt from a session running under a lease (several nodes) is applied only while that lease holds:
 * a node that lost the instance records nothing more for it.
 *
 * A delivered or read receipt is one statement, no transaction: its event is prepared before the write
 * (the message's own fields left as holes) and fanned out by `markStatus` itself, only if the message
 * advanced; its deliveries are enqueued and the event published once that write returned. A played
 * receipt (two events) keeps a transaction.
 */
import type { Clock, UnitOfWork } from '../../shared/index.js';
import type { Message } from '../message.js';
import type { MessageStatusUpdate, PersonIdentity, SessionInstance } from '../../sessions/index.js';
import type { EventPreparer, EventRecorder, PersonPayload } from '../../events/index.js';
import type { MessageRepositories } from '../message-repositories.js';
import type { LeaseFence } from '../../cluster/index.js';
import { messageEvent, prepareReceiptEvent } from '../message-event-data.js';
import { fillPayload } from '../message-repository.js';

export interface MessageStatusHandlerDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
  readonly clock: Clock;
  /** Records a played receipt's events; prepares a delivered or read receipt's for markStatus's own statement. */
  readonly events: EventRecorder & EventPreparer;
  /** Receipts kept while their message is not yet marked sent. Default 1,000. */
  readonly maxParked?: number;
  /** A parked receipt is dropped after this long. Default 60 s. */
  readonly parkTtlMs?: number;
  /** Told each status a receipt moved a message to, after it committed (metrics). Must not throw. */
  readonly onStatus?: (to: 'delivered' | 'read') => void;
  /** Completes a group participant's phone number and LID from what the customer learnt. Absent: as the session said. */
  readonly identify?: (instance: Pick<SessionInstance, 'id' | 'customerId'>, person: PersonIdentity) => Promise<PersonIdentity>;
}

export interface MessageStatusHandler {
  /** Applies a receipt (the session manager's `onMessageStatus`). Unknown WhatsApp ids are parked, then dropped. */
  handleMessageStatus(instance: Pick<SessionInstance, 'id' | 'fence'> & { readonly customerId?: string }, update: MessageStatusUpdate): Promise<void>;
  /** Applies receipts parked for a message that has just been marked sent (the drainer's `onSent`). */
  applyParked(message: Message): Promise<void>;
}

type Parked = { readonly instanceId: string; readonly customerId: string | undefined; readonly update: MessageStatusUpdate; readonly parkedAt: number };

/** What an address alone says: an MSISDN is a phone number, a `…@lid` a LID. */
function personOf(address: string): PersonIdentity {
  if (/^\d+@lid$/.test(address)) return { phoneNumber: null, lid: address };
  const phone = /^(\d{8,15})(?:@s\.whatsapp\.net)?$/.exec(address);
  return { phoneNumber: phone?.[1] ?? null, lid: null };
}

export function createMessageStatusHandler(deps: MessageStatusHandlerDeps): MessageStatusHandler {
  const { uow, clock, events } = deps;
  const maxParked = deps.maxParked ?? 1_000;
  const parkTtlMs = deps.parkTtlMs ?? 60_000;
  const parked = new Map<string, Parked[]>();
  let parkedCount = 0;

  function park(instanceId: string, update: MessageStatusUpdate, customerId?: string): void {
    const now = clock.now().getTime();
    for (const [key, list] of parked) {
      if (parkedCount < maxParked && list[0]!.parkedAt > now - parkTtlMs) break;
      parked.delete(key); // oldest first (insertion order): expired, or making room
      parkedCount -= list.length;
    }
    const key = `${instanceId}/${update.whatsappId}`;
    const list = parked.get(key) ?? [];
    list.push({ instanceId, customerId, update, parkedAt: now });
    parked.set(key, list);
    parkedCount += 1;
  }

  /**
   * True when a message with that WhatsApp id exists (whether or not the receipt advanced it), or when the
   * fence is stale (nothing to park: the receipt is not ours to record).
   */
  async function apply(instanceId: string, update: MessageStatusUpdate, fence: LeaseFence | null = null, customerId?: string): Promise<boolean> {
    // WhatsApp's server ack never moves a message: a message has a WhatsApp id only once `markSent` wrote
    // it, together with the status `sent`. Looking it up would cost a round trip (two on Postgres) per
    // sent message for nothing, and a message of that id not known yet gets `sent` from `markSent` anyway.
    if (update.status === 'sent') return true;
    const participant = update.participant ?? null;
    // Played implies read: the stored status moves to `read` at most; `message.played` is reported beside it.
    const stored = update.status === 'played' ? 'read' : update.status;
    const by = await identify(customerId, instanceId, update);
    const receipt = { status: stored, at: update.at, participant };
    const fenceCheck = fence === null ? null : { fence, at: clock.now() };
    const extra = participant === null ? {} : { participant, ...(by !== null && { by }) };
    let result: Awaited<ReturnType<typeof uow.repos.messages.markStatus>>;
    if (update.status === 'played') {
      // Two events (read, if it advanced, and played): one transaction, as their fan-outs are two statements.
      result = await uow.transaction(async (repos, tx) => {
        // The fence is checked by markStatus's own statement; a stale one changes and records nothing.
        const marked = await repos.messages.markStatus(instanceId, update.whatsappId, receipt, fenceCheck);
        if (marked === null || marked === 'stale_fence') return marked;
        if (marked.advanced) await events.record(repos, tx, messageEvent('message.read', marked.message, update.at, extra));
        await events.record(repos, tx, messageEvent('message.played', marked.message, update.at, extra));
        return marked;
      });
    } else {
      // One statement, no transaction: the event is fanned out by the status write itself, only if the
      // message advanced (and under a held fence), its payload completed there from the moved row.
      const name = stored === 'read' ? 'message.read' : 'message.delivered';
      const event = prepareReceiptEvent(events, name, { instanceId, whatsappId: update.whatsappId, status: stored }, update.at, extra);
      result = await uow.repos.messages.markStatus(instanceId, update.whatsappId, receipt, fenceCheck, event);
      if (result !== null && result !== 'stale_fence' && result.advanced) {
        const message = result.message;
        const completed = {
          fanOut: { ...event.prepared.fanOut, customerId: message.customerId, payload: fillPayload(event, message) },
          envelope: { ...event.prepared.envelope, data: messageEvent(name, message, update.at, extra).data },
        };
        await events.written(completed, result.deliveries);
      }
    }
    if (result === null) return false;
    if (result === 'stale_fence') return true;
    if (result.advanced) deps.onStatus?.(stored);
    return true;
  }

  /** A group participant by both addresses, completed from what the customer learnt; null outside groups. */
  async function identify(customerId: string | undefined, instanceId: string, update: MessageStatusUpdate): Promise<PersonPayload | null> {
    if (update.participant === undefined) return null;
    const given = update.participantIdentity ?? personOf(update.participant);
    const person = deps.identify === undefined || customerId === undefined ? given : await deps.identify({ id: instanceId, customerId }, given);
    return { phone_number: person.phoneNumber, lid: person.lid };
  }

  return {
    async handleMessageStatus(instance, update) {
      if (!(await apply(instance.id, update, instance.fence ?? null, instance.customerId))) park(instance.id, update, instance.customerId);
    },
    async applyParked(message) {
      if (message.whatsappId === null) return;
      const key = `${message.instanceId}/${message.whatsappId}`;
      const list = parked.get(key);
      if (list === undefined) return;
      parked.delete(key);
      parkedCount -= list.length;
      for (const { instanceId, customerId, update } of list) await apply(instanceId, update, null, customerId);
    },
  };
}
