/*
 * Learning the phone number behind a LID, wherever it comes from (a mapping the session reports, a message
 * that carried both forms, a lookup): remember it for the customer and, the first time, record
 * `contact.resolved` in the same transaction, so the event fires exactly once per customer and LID. A LID
 * this process already knows to be stored (`KnownLids`) is not written again: the write would change nothing.
 */
import type { EventRecorder } from '../events/index.js';
import type { Clock, UnitOfWork } from '../shared/index.js';
import type { ContactRepositories } from './contact-repositories.js';
import { createKnownLids, type KnownLids } from './known-lids.js';

export interface LearnLidMappingDeps {
  readonly uow: UnitOfWork<ContactRepositories>;
  readonly events: EventRecorder;
  readonly clock: Clock;
  /** What this process knows is stored; share it with `createIdentifyAuthor`. Default: a cache of its own. */
  readonly known?: KnownLids;
}

export type LearnLidMapping = (
  instance: { readonly id: string; readonly customerId: string },
  mapping: { readonly lid: string; readonly phoneNumber: string },
) => Promise<boolean>;

const LID = /^[0-9]+@lid$/;
const MSISDN = /^[1-9][0-9]{7,14}$/;

/** Returns whether the mapping was new. A malformed LID or number is ignored (false): it is WhatsApp's data. */
export function createLearnLidMapping({ uow, events, clock, known = createKnownLids() }: LearnLidMappingDeps): LearnLidMapping {
  return async (instance, { lid, phoneNumber }) => {
    if (!LID.test(lid) || !MSISDN.test(phoneNumber)) return false;
    if (known.get(instance.customerId, lid) !== undefined) return false;
    const at = clock.now();
    const learnt = await uow.transaction(async (repos, tx) => {
      const created = await repos.lids.record(instance.customerId, { lid, phoneNumber, instanceId: instance.id, learnedAt: at });
      if (created) {
        await events.record(repos, tx, {
          customerId: instance.customerId,
          instanceId: instance.id,
          name: 'contact.resolved',
          occurredAt: at,
          data: { lid, phone_number: phoneNumber, jid: `${phoneNumber}@s.whatsapp.net` },
        });
      }
      return created;
    });
    known.remember(instance.customerId, lid, learnt ? phoneNumber : null);
    return learnt;
  };
}
