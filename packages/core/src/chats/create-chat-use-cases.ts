/* The presence, read-receipt and chat use cases, wired once for the server and every test harness. */
import type { InstanceRepositories } from '../instances/index.js';
import type { StageOutboxAction } from '../messages/index.js';
import type { Clock, UnitOfWork } from '../shared/index.js';
import type { ChatRepositories } from './chat-repository.js';
import { createDeleteChat } from './delete-chat.js';
import { createGetChat } from './get-chat.js';
import { createListChats } from './list-chats.js';
import { createMarkChatRead } from './mark-chat-read.js';
import { createSetPresence } from './set-presence.js';
import { createSubscribePresence } from './subscribe-presence.js';
import { createUpdateChat } from './update-chat.js';

export function createChatUseCases(deps: {
  readonly stageOutboxAction: StageOutboxAction;
  readonly uow: UnitOfWork<ChatRepositories & InstanceRepositories>;
  readonly clock: Clock;
}) {
  return {
    setPresence: createSetPresence(deps),
    subscribePresence: createSubscribePresence(deps),
    markChatRead: createMarkChatRead(deps),
    listChats: createListChats(deps),
    getChat: createGetChat(deps),
    updateChat: createUpdateChat(deps),
    deleteChat: createDeleteChat(deps),
  };
}

export type ChatUseCases = ReturnType<typeof createChatUseCases>;
