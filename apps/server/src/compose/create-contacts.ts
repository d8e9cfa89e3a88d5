/*
 * Contacts and chats: LID learning (fed by inbound messages and the sessions' LID mappings, so it exists before
 * both), presence reports, the contact use cases (live lookups through the sessions, blocking through the
 * outbox) and the presence and read-receipt use cases (through the outbox).
 */
import {
  createChatUseCases,
  createPresenceHandler,
  createContactUseCases,
  createIdentifyAuthor,
  createKnownLids,
  createLearnLidMapping,
  type Clock,
  type EventRecorder,
  type MediaStore,
  type OutboundHttp,
  type SessionLookups,
  type StageOutboxAction,
  type UnitOfWork,
} from '@whatisup/core';

export interface ContactIdentitiesDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly events: EventRecorder;
}

/**
 * What the messages and sessions features call to learn who is behind a LID, and to report presences with
 * both of a participant's addresses.
 */
export function createContactIdentities(deps: ContactIdentitiesDeps) {
  const known = createKnownLids();
  const learnLidMapping = createLearnLidMapping({ ...deps, known });
  const identifyAuthor = createIdentifyAuthor({ uow: deps.uow, learn: learnLidMapping, known });
  return {
    identifyAuthor,
    onPresence: createPresenceHandler({ ...deps, identify: identifyAuthor }),
    onLidMapping: async (instance: { readonly id: string; readonly customerId: string }, mapping: { readonly lid: string; readonly phoneNumber: string }) =>
      void (await learnLidMapping(instance, mapping)),
  };
}

export interface ContactsDeps extends ContactIdentitiesDeps {
  readonly lookups: SessionLookups;
  readonly stageOutboxAction: StageOutboxAction;
  readonly outbound: Pick<OutboundHttp, 'download'>;
  readonly media: { readonly store: MediaStore; readonly key: Uint8Array; readonly publicUrl: string };
}

/** The contact use cases, and the presence and chat ones (both stage through the same outbox). */
export function createContacts(deps: ContactsDeps) {
  return { contacts: createContactUseCases(deps), chats: createChatUseCases({ stageOutboxAction: deps.stageOutboxAction, uow: deps.uow, clock: deps.clock }) };
}
