import type { Principal } from '../shared/index.js';
import type { Message, StageOutboxAction } from '../messages/index.js';
import { parseContactAddress, sessionAddressOf } from './contact-address.js';

export type BlockContact = (
  principal: Principal,
  input: { readonly instanceId: string; readonly contact: string; readonly block: boolean; readonly idempotencyKey?: string | null | undefined },
) => Promise<{ action: Message; created: boolean }>;

/**
 * Blocks or unblocks a contact (`POST` / `DELETE …/contacts/:contact/block`): staged in the instance's outbox
 * and performed in acceptance order with its sends. Throws invalid_input, not_found, forbidden,
 * not_connected, idempotency_conflict.
 */
export function createBlockContact(deps: { readonly stageOutboxAction: StageOutboxAction }): BlockContact {
  return async (principal, input) => {
    const address = sessionAddressOf(parseContactAddress(input.contact));
    return deps.stageOutboxAction(principal, {
      instanceId: input.instanceId,
      action: { type: input.block ? 'block' : 'unblock', address },
      target: address,
      idempotencyKey: input.idempotencyKey,
    });
  };
}
