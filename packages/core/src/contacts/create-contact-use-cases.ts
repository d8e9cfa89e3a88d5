/*
 * The contact use cases, wired once for the server and every test harness: live lookups through the
 * instance's session (`lookups`, the session manager), LID learning, and block/unblock through the outbox.
 */
import type { EventRecorder } from '../events/index.js';
import type { MediaStore, StageOutboxAction } from '../messages/index.js';
import { createInstanceLookup, type SessionLookups } from '../sessions/index.js';
import type { Clock, OutboundHttp, UnitOfWork } from '../shared/index.js';
import { createBlockContact } from './block-contact.js';
import { createCheckContacts } from './check-contacts.js';
import type { ContactRepositories } from './contact-repositories.js';
import { createGetBlocklist } from './get-blocklist.js';
import { createGetBusinessProfile } from './get-business-profile.js';
import { createGetContact } from './get-contact.js';
import { createGetProfilePicture } from './get-profile-picture.js';
import { createIdentifyAuthor } from './identify-author.js';
import { createLearnLidMapping } from './learn-lid-mapping.js';
import { createKnownLids } from './known-lids.js';
import { createResolveLid } from './resolve-lid.js';

export interface ContactUseCasesDeps {
  readonly uow: UnitOfWork<ContactRepositories>;
  readonly clock: Clock;
  readonly events: EventRecorder;
  readonly lookups: SessionLookups;
  readonly stageOutboxAction: StageOutboxAction;
  readonly outbound: Pick<OutboundHttp, 'download'>;
  /** Where profile pictures are kept behind signed media URLs (the inbound media store). */
  readonly media: { readonly store: MediaStore; readonly key: Uint8Array; readonly publicUrl: string };
}

export function createContactUseCases(deps: ContactUseCasesDeps) {
  const { uow, clock, events } = deps;
  const lookup = createInstanceLookup({ uow, lookups: deps.lookups });
  const known = createKnownLids();
  const learn = createLearnLidMapping({ uow, events, clock, known });
  return {
    checkContacts: createCheckContacts({ lookup, learn }),
    getContact: createGetContact({ uow, lookup, learn }),
    resolveLid: createResolveLid({ uow, lookup, learn }),
    getBusinessProfile: createGetBusinessProfile({ lookup }),
    getProfilePicture: createGetProfilePicture({
      lookup,
      outbound: deps.outbound,
      media: deps.media.store,
      mediaKey: deps.media.key,
      publicUrl: deps.media.publicUrl,
    }),
    getBlocklist: createGetBlocklist({ uow, lookup }),
    blockContact: createBlockContact({ stageOutboxAction: deps.stageOutboxAction }),
    /** For the session's traffic: a LID mapping WhatsApp pushed. */
    learnLidMapping: learn,
    /** For the inbound handler: both addresses of a message's author. */
    identifyAuthor: createIdentifyAuthor({ uow, learn, known }),
  };
}

export type ContactUseCases = ReturnType<typeof createContactUseCases>;
