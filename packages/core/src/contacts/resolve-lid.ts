import type { Principal, UnitOfWork } from '../shared/index.js';
import { findInstanceInScope } from '../instances/index.js';
import type { InstanceLookup } from '../sessions/index.js';
import type { ContactRepositories } from './contact-repositories.js';
import { parseLid } from './contact-address.js';
import type { LearnLidMapping } from './learn-lid-mapping.js';

export interface ResolvedLid {
  readonly lid: string;
  readonly phoneNumber: string | null;
}

export type ResolveLid = (principal: Principal, input: { readonly instanceId: string; readonly lid: string }) => Promise<ResolvedLid>;

/**
 * The phone number behind a LID (`GET /v1/instances/:id/lids/:lid`): what the customer already learnt, else
 * the instance's session is asked (and what it says is learnt, firing `contact.resolved`). `phoneNumber` null
 * when WhatsApp does not tell. Throws invalid_input, not_found, forbidden; when it must ask: not_connected,
 * upstream_timeout, unavailable.
 */
export function createResolveLid(deps: {
  readonly uow: UnitOfWork<ContactRepositories>;
  readonly lookup: InstanceLookup;
  readonly learn: LearnLidMapping;
}): ResolveLid {
  return async (principal, input) => {
    const lid = parseLid(input.lid);
    const instance = await findInstanceInScope(deps.uow.repos, principal, input.instanceId);
    const known = await deps.uow.repos.lids.phoneNumberOf(principal.customerId, lid);
    if (known !== null) return { lid, phoneNumber: known };
    const phoneNumber = await deps.lookup(principal, instance.id, (directory) => directory.phoneNumberOfLid(lid));
    if (phoneNumber !== null) await deps.learn(instance, { lid, phoneNumber });
    return { lid, phoneNumber };
  };
}
