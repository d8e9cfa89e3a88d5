import { DomainError, type Principal, type UnitOfWork } from '../shared/index.js';
import { findInstanceInScope, type InstanceRepositories } from '../instances/index.js';
import { normalizeRecipient } from '../messages/index.js';
import type { Chat, ChatRepositories } from './chat-repository.js';

export type GetChat = (principal: Principal, input: { readonly instanceId: string; readonly chatId: string }) => Promise<Chat>;

/** The chat the instance keeps under `chatId` (a phone number or a JID). */
export async function findChatInScope(
  repos: ChatRepositories & InstanceRepositories,
  principal: Principal,
  input: { readonly instanceId: string; readonly chatId: string },
): Promise<Chat> {
  const chatId = normalizeRecipient(input.chatId, 'chat_id');
  const instance = await findInstanceInScope(repos, principal, input.instanceId);
  const chat = await repos.chats.find({ customerId: principal.customerId, instanceId: instance.id, chatId });
  if (chat === null) throw new DomainError('not_found', 'The instance has no such chat.', { chat_id: chatId });
  return chat;
}

/** Throws `invalid_input` (a malformed chat id), `not_found` (no such instance or chat), `forbidden`. */
export function createGetChat(deps: { readonly uow: UnitOfWork<ChatRepositories & InstanceRepositories> }): GetChat {
  return (principal, input) => findChatInScope(deps.uow.repos, principal, input);
}
