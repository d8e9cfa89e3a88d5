/*
 * A presence WhatsApp reported for a subscribed chat becomes `presence.updated`, the participant named by both
 * addresses as far as the customer knows them (contacts' `identifyAuthor` completes a LID-only one).
 */
import type { EventRecorder } from '../events/index.js';
import type { PersonIdentity, PresenceUpdate, SessionInstance } from '../sessions/index.js';
import type { Clock, UnitOfWork } from '../shared/index.js';

export interface PresenceHandlerDeps {
  readonly uow: UnitOfWork<object>;
  readonly events: EventRecorder;
  readonly clock: Clock;
  readonly identify?: (instance: Pick<SessionInstance, 'id' | 'customerId'>, person: PersonIdentity) => Promise<PersonIdentity>;
}

export type HandlePresence = (instance: Pick<SessionInstance, 'id' | 'customerId'>, update: PresenceUpdate) => Promise<void>;

export function createPresenceHandler(deps: PresenceHandlerDeps): HandlePresence {
  return async (instance, update) => {
    const given = update.author ?? { phoneNumber: null, lid: null };
    const person = deps.identify === undefined ? given : await deps.identify(instance, given);
    await deps.events.recordAlone(deps.uow.repos, {
      customerId: instance.customerId,
      instanceId: instance.id,
      name: 'presence.updated',
      occurredAt: deps.clock.now(),
      data: {
        chat_id: update.chatId,
        participant: person.phoneNumber ?? update.participant,
        phone_number: person.phoneNumber,
        lid: person.lid,
        state: update.state,
        last_seen: update.lastSeen?.toISOString() ?? null,
      },
    });
  };
}
