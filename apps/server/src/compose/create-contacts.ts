/*
 * Contacts: LID learning (fed by inbound messages and the sessions' LID mappings, so it exists before both)
 * and the contact use cases (live lookups through the sessions, blocking through the outbox).
 */
import {
  createContactUseCases,
  createIdentifyAuthor,
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

/** What the messages and sessions features call to learn who is behind a LID. */
export function createContactIdentities(deps: ContactIdentitiesDeps) {
  const learnLidMapping = createLearnLidMapping(deps);
  return {
    identifyAuthor: createIdentifyAuthor({ uow: deps.uow, learn: learnLidMapping }),
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

export function createContacts(deps: ContactsDeps) {
  return createContactUseCases(deps);
}
