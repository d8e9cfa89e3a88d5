/* Chats: the chat list (state kept from the session and the messages), presence, and read receipts. */
export { createChatUseCases, type ChatUseCases } from './create-chat-use-cases.js';
export { createPresenceHandler, type PresenceHandlerDeps, type HandlePresence } from './handle-presence.js';
export type { SetPresence } from './set-presence.js';
export type { SubscribePresence } from './subscribe-presence.js';
export type { MarkChatRead } from './mark-chat-read.js';
export { MAX_READ_MESSAGE_IDS, PresenceBody, PresenceSubscriptionBody, ChatReadBody, ChatParams } from './schemas/chat-schemas.js';
export type { Chat, ChatState, ChatKey, ChatListFilter, ChatPageRequest, ChatRepository, ChatRepositories } from './chat-repository.js';
export { encodeChatCursor, decodeChatCursor, compareChats, type ChatCursor } from './chat-cursor.js';
export type { ListChats } from './list-chats.js';
export type { GetChat } from './get-chat.js';
export type { UpdateChat } from './update-chat.js';
export type { DeleteChat } from './delete-chat.js';
export { ChatStateBody, ChatStateParams, ChatJson, toChatJson } from './schemas/chat-state-schemas.js';
export { chatChangeEvents } from './chat-event-data.js';
export { createChatChangeHandler, chatKeyId, isChatId, type ChatChangeHandlerDeps, type HandleChatChange } from './handle-chat-change.js';
export { createChatActivity, type ChatActivity } from './track-chat-activity.js';
