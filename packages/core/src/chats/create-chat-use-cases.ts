/* The presence and chat use cases, wired once for the server and every test harness. */
import type { StageOutboxAction } from '../messages/index.js';
import { createMarkChatRead } from './mark-chat-read.js';
import { createSetPresence } from './set-presence.js';
import { createSubscribePresence } from './subscribe-presence.js';

export function createChatUseCases(deps: { readonly stageOutboxAction: StageOutboxAction }) {
  return {
    setPresence: createSetPresence(deps),
    subscribePresence: createSubscribePresence(deps),
    markChatRead: createMarkChatRead(deps),
  };
}

export type ChatUseCases = ReturnType<typeof createChatUseCases>;
