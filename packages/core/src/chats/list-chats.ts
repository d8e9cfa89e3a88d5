import { toPageRequest, type Page, type PageInput, type Principal, type UnitOfWork } from '../shared/index.js';
import { findInstanceInScope, type InstanceRepositories } from '../instances/index.js';
import type { Chat, ChatListFilter, ChatRepositories } from './chat-repository.js';

export type ListChats = (principal: Principal, input: PageInput & ChatListFilter & { readonly instanceId: string }) => Promise<Page<Chat>>;

/**
 * The instance's chats, most recent activity first, optionally only the archived (or not) and unread (or
 * not) ones. Throws `not_found` (no such instance of the customer), `forbidden` (a key bound to another
 * instance), `invalid_input` (a bad limit or cursor).
 */
export function createListChats(deps: { readonly uow: UnitOfWork<ChatRepositories & InstanceRepositories> }): ListChats {
  return async (principal, input) => {
    const page = toPageRequest(input);
    const instance = await findInstanceInScope(deps.uow.repos, principal, input.instanceId);
    return deps.uow.repos.chats.list(principal.customerId, instance.id, page, {
      ...(input.archived !== undefined && { archived: input.archived }),
      ...(input.unread !== undefined && { unread: input.unread }),
    });
  };
}
