import type { Principal, UnitOfWork } from '../shared/index.js';
import type { InstanceLookup } from '../sessions/index.js';
import type { ContactRepositories } from './contact-repositories.js';

export interface BlockedContact {
  readonly jid: string;
  readonly phoneNumber: string | null;
  readonly lid: string | null;
}

export type GetBlocklist = (principal: Principal, input: { readonly instanceId: string }) => Promise<BlockedContact[]>;

const PHONE_JID = /^([1-9][0-9]{7,14})(?::[0-9]+)?@s\.whatsapp\.net$/;
const LID_JID = /^([0-9]+)(?::[0-9]+)?@lid$/;

/**
 * Who the instance's number has blocked (`GET /v1/instances/:id/blocklist`), each with both addresses as far
 * as known. Throws not_found, forbidden, not_connected, upstream_timeout, unavailable.
 */
export function createGetBlocklist(deps: { readonly uow: UnitOfWork<ContactRepositories>; readonly lookup: InstanceLookup }): GetBlocklist {
  const { lids } = deps.uow.repos;
  return async (principal, input) => {
    const jids = await deps.lookup(principal, input.instanceId, (directory) => directory.blocklist());
    return Promise.all(
      jids.map(async (jid): Promise<BlockedContact> => {
        const phone = PHONE_JID.exec(jid)?.[1] ?? null;
        if (phone !== null) return { jid: `${phone}@s.whatsapp.net`, phoneNumber: phone, lid: await lids.lidOf(principal.customerId, phone) };
        const lid = LID_JID.exec(jid);
        if (lid === null) return { jid, phoneNumber: null, lid: null };
        const lidJid = `${lid[1]}@lid`;
        return { jid: lidJid, phoneNumber: await lids.phoneNumberOf(principal.customerId, lidJid), lid: lidJid };
      }),
    );
  };
}
