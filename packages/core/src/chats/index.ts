/* Chats: presence (shown and subscribed to) and read receipts. */
export { createChatUseCases, type ChatUseCases } from './create-chat-use-cases.js';
export { createPresenceHandler, type PresenceHandlerDeps, type HandlePresence } from './handle-presence.js';
export type { SetPresence } from './set-presence.js';
export type { SubscribePresence } from './subscribe-presence.js';
export type { MarkChatRead } from './mark-chat-read.js';
export { MAX_READ_MESSAGE_IDS, PresenceBody, PresenceSubscriptionBody, ChatReadBody, ChatParams } from './schemas/chat-schemas.js';
