import { DomainError, type Principal, type UnitOfWork } from '../shared/index.js';
import type { ContactInfo, InstanceLookup } from '../sessions/index.js';
import type { ContactRepositories } from './contact-repositories.js';
import { parseContactAddress, sessionAddressOf } from './contact-address.js';
import type { LearnLidMapping } from './learn-lid-mapping.js';

export type GetContact = (principal: Principal, input: { readonly instanceId: string; readonly contact: string }) => Promise<ContactInfo>;

/**
 * A contact by phone number, phone JID or LID (`GET /v1/instances/:id/contacts/:contact`), both addresses
 * filled in from what the customer learnt when WhatsApp leaves one out. Throws invalid_input, not_found (also
 * when the address is not on WhatsApp), forbidden, not_connected, upstream_timeout, unavailable.
 */
export function createGetContact(deps: {
  readonly uow: UnitOfWork<ContactRepositories>;
  readonly lookup: InstanceLookup;
  readonly learn: LearnLidMapping;
}): GetContact {
  const { lids } = deps.uow.repos;
  return async (principal, input) => {
    const address = parseContactAddress(input.contact);
    const { contact, instance } = await deps.lookup(principal, input.instanceId, async (directory, instance) => ({
      contact: await directory.contact(sessionAddressOf(address)),
      instance,
    }));
    if (contact === null) throw new DomainError('not_found', `${input.contact} is not on WhatsApp.`, { contact: input.contact });
    if (contact.phoneNumber !== null && contact.lid !== null) {
      await deps.learn(instance, { lid: contact.lid, phoneNumber: contact.phoneNumber });
      return contact;
    }
    if (contact.lid !== null) {
      const phoneNumber = await lids.phoneNumberOf(principal.customerId, contact.lid);
      return phoneNumber === null ? contact : { ...contact, phoneNumber, jid: `${phoneNumber}@s.whatsapp.net` };
    }
    if (contact.phoneNumber !== null) return { ...contact, lid: await lids.lidOf(principal.customerId, contact.phoneNumber) };
    return contact;
  };
}
