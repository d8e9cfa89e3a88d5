import { DomainError, type Principal } from '../shared/index.js';
import type { BusinessProfile, InstanceLookup } from '../sessions/index.js';
import { parseContactAddress, sessionAddressOf } from './contact-address.js';

export type GetBusinessProfile = (principal: Principal, input: { readonly instanceId: string; readonly contact: string }) => Promise<BusinessProfile>;

/**
 * A business contact's profile (`GET …/contacts/:contact/business-profile`). Throws not_found when the contact
 * is not a business (or not on WhatsApp), and as every live lookup (invalid_input, forbidden, not_connected,
 * upstream_timeout, unavailable).
 */
export function createGetBusinessProfile(deps: { readonly lookup: InstanceLookup }): GetBusinessProfile {
  return async (principal, input) => {
    const address = parseContactAddress(input.contact);
    const profile = await deps.lookup(principal, input.instanceId, (directory) => directory.businessProfile(sessionAddressOf(address)));
    if (profile === null) throw new DomainError('not_found', `${input.contact} has no business profile.`, { contact: input.contact });
    return profile;
  };
}
