/*
 * What a session reports about its groups becomes `group.*` events: `group.created` (the number created or was
 * added to a group), `group.updated` (subject, description, settings, invite link), `group.participant_added`,
 * `group.participant_removed`, `group.admin_promoted`, `group.admin_demoted` and `group.join_requested`.
 * Nothing is stored about groups themselves: the events are the record, and lookups ask WhatsApp. A person
 * an event names by both addresses teaches the customer the phone number behind that LID (`learn`).
 */
import type { EventRecorder, DomainEvent } from '../events/index.js';
import type { GroupEvent, GroupPerson, SessionInstance } from '../sessions/index.js';
import type { Clock, UnitOfWork } from '../shared/index.js';
import { toGroupJson, toPersonJson } from './schemas/group-schemas.js';

export type HandleGroupEvent = (instance: Pick<SessionInstance, 'id' | 'customerId'>, event: GroupEvent) => Promise<void>;

const PARTICIPANT_EVENTS = {
  add: 'group.participant_added',
  remove: 'group.participant_removed',
  promote: 'group.admin_promoted',
  demote: 'group.admin_demoted',
} as const;

const authorOf = (author: GroupPerson | null) => (author === null ? null : toPersonJson(author));

function toDomainEvent(base: { customerId: string; instanceId: string; occurredAt: Date }, event: GroupEvent): DomainEvent {
  switch (event.kind) {
    case 'created': {
      const { group_id, subject, description, owner, participants } = toGroupJson(event.group);
      return { ...base, name: 'group.created', data: { group_id, subject, description, owner, participants, author: authorOf(event.author) } };
    }
    case 'updated': {
      const c = event.changes;
      const changes = {
        ...(c.subject !== undefined && { subject: c.subject }),
        ...(c.description !== undefined && { description: c.description === '' ? null : c.description }),
        ...(c.announce !== undefined && { announce: c.announce }),
        ...(c.locked !== undefined && { locked: c.locked }),
        ...(c.ephemeralSeconds !== undefined && { ephemeral_seconds: c.ephemeralSeconds }),
        ...(c.joinApproval !== undefined && { join_approval: c.joinApproval }),
        ...(c.inviteRotated === true && { invite_rotated: true as const }),
      };
      return { ...base, name: 'group.updated', data: { group_id: event.groupId, changes, author: authorOf(event.author) } };
    }
    case 'participants':
      return {
        ...base,
        name: PARTICIPANT_EVENTS[event.action],
        data: { group_id: event.groupId, participants: event.participants.map(toPersonJson), author: authorOf(event.author) },
      };
    case 'join_request':
      return {
        ...base,
        name: 'group.join_requested',
        data: { group_id: event.groupId, participant: toPersonJson(event.participant), method: event.method, author: authorOf(event.author) },
      };
  }
}

function peopleOf(event: GroupEvent): GroupPerson[] {
  const named = (() => {
    switch (event.kind) {
      case 'created':
        return [event.group.owner, ...event.group.participants];
      case 'participants':
        return event.participants;
      case 'join_request':
        return [event.participant];
      case 'updated':
        return [];
    }
  })();
  return [...named, event.author].filter((p): p is GroupPerson => p !== null && p.phoneNumber !== null && p.lid !== null);
}

export interface GroupEventHandlerDeps {
  readonly uow: UnitOfWork<object>;
  readonly events: EventRecorder;
  readonly clock: Clock;
  /** Learns the phone number behind a LID (contacts' LID learning); absent: nothing is learnt. */
  readonly learn?: (instance: Pick<SessionInstance, 'id' | 'customerId'>, mapping: { readonly lid: string; readonly phoneNumber: string }) => Promise<void>;
}

export function createGroupEventHandler(deps: GroupEventHandlerDeps): HandleGroupEvent {
  return async (instance, event) => {
    if (deps.learn !== undefined) {
      for (const person of peopleOf(event)) await deps.learn(instance, { lid: person.lid!, phoneNumber: person.phoneNumber! });
    }
    const domainEvent = toDomainEvent({ customerId: instance.customerId, instanceId: instance.id, occurredAt: deps.clock.now() }, event);
    await deps.events.recordAlone(deps.uow.repos, domainEvent);
  };
}
