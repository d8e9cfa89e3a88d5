/*
 * Completes what an inbound message says about its author with what the customer learnt before: a LID-only
 * sender gets the phone number we know behind it, a phone-only sender the LID. A message that names both
 * teaches the mapping (and may fire `contact.resolved`) before its own event is recorded. The phone number
 * behind a LID never changes once stored, so what this process learnt or read of it (`KnownLids`) answers
 * again without a round trip.
 */
import type { PersonIdentity, SessionInstance } from '../sessions/index.js';
import type { UnitOfWork } from '../shared/index.js';
import type { ContactRepositories } from './contact-repositories.js';
import type { LearnLidMapping } from './learn-lid-mapping.js';
import { createKnownLids, type KnownLids } from './known-lids.js';

export type IdentifyAuthor = (instance: Pick<SessionInstance, 'id' | 'customerId'>, author: PersonIdentity) => Promise<PersonIdentity>;

export function createIdentifyAuthor(deps: {
  readonly uow: UnitOfWork<ContactRepositories>;
  readonly learn: LearnLidMapping;
  /** The cache `learn` fills (the same object). Default: a cache of its own. */
  readonly known?: KnownLids;
}): IdentifyAuthor {
  const { lids } = deps.uow.repos;
  const known = deps.known ?? createKnownLids();
  async function phoneNumberOf(customerId: string, lid: string): Promise<string | null> {
    const remembered = known.get(customerId, lid);
    if (typeof remembered === 'string') return remembered;
    const stored = await lids.phoneNumberOf(customerId, lid);
    if (stored !== null) known.remember(customerId, lid, stored);
    return stored;
  }
  return async (instance, author) => {
    if (author.phoneNumber !== null && author.lid !== null) {
      await deps.learn(instance, { lid: author.lid, phoneNumber: author.phoneNumber });
      return author;
    }
    if (author.lid !== null) return { ...author, phoneNumber: await phoneNumberOf(instance.customerId, author.lid) };
    if (author.phoneNumber !== null) return { ...author, lid: await lids.lidOf(instance.customerId, author.phoneNumber) };
    return author;
  };
}
