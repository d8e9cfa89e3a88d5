/* Contacts: who is on WhatsApp, the phone numbers behind LIDs, profiles, and blocking. */
export { createContactUseCases, type ContactUseCases, type ContactUseCasesDeps } from './create-contact-use-cases.js';
export type { ContactRepositories } from './contact-repositories.js';
export type { LidMapping, LidMappingRepository } from './lid-mapping-repository.js';
export { parseContactAddress, parseLid, type ContactAddress } from './contact-address.js';
export { createLearnLidMapping, type LearnLidMapping, type LearnLidMappingDeps } from './learn-lid-mapping.js';
export { createIdentifyAuthor, type IdentifyAuthor } from './identify-author.js';
export { createKnownLids, DEFAULT_KNOWN_LIDS, type KnownLids } from './known-lids.js';
export type { CheckContacts } from './check-contacts.js';
export type { GetContact } from './get-contact.js';
export type { ResolveLid, ResolvedLid } from './resolve-lid.js';
export type { GetBusinessProfile } from './get-business-profile.js';
export type { GetProfilePicture, GetProfilePictureDeps } from './get-profile-picture.js';
export type { GetBlocklist, BlockedContact } from './get-blocklist.js';
export type { BlockContact } from './block-contact.js';
export {
  MAX_CHECKED_NUMBERS,
  CheckContactsBody,
  ContactParams,
  LidParams,
  ContactCheckJson,
  ContactCheckListJson,
  ContactJson,
  LidJson,
  ProfilePictureJson,
  BusinessProfileJson,
  BlocklistJson,
  ActionAcceptedJson,
  toContactCheckJson,
  toContactJson,
  toLidJson,
  toBusinessProfileJson,
  toBlockedContactJson,
  toActionAcceptedJson,
} from './schemas/contact-schemas.js';
