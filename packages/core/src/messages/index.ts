/* Messages: sending through the outbox (outbox/), inbound messages (inbound/) and media (media/). */
export { createGetMessage, type GetMessageDeps, type MessageWithHistory, type GetMessage } from './get-message.js';
export {
  createInboundMessageHandler,
  type InboundMessageHandlerDeps,
  type InboundMessageHandler,
} from './inbound/handle-inbound-message.js';
export type { MediaOutcome } from './inbound/inbound-event-data.js';
export { createSentMessageLookup } from './sent-message-lookup.js';
export { createGetAction, type GetAction } from './get-action.js';
export { ActionJson, ACTION_STATUSES, toActionJson } from './schemas/action-schema.js';
export { createMessageChangeHandler, type HandleMessageChange, type MessageChangeHandlerDeps } from './inbound/handle-message-change.js';
export {
  createListMessages,
  type ListMessagesDeps,
  type ListMessagesInput,
  type ListMessages,
} from './list-messages.js';
export { createGetMedia, MEDIA_HELD_ELSEWHERE, type GetMediaDeps, type MediaContent, type GetMedia } from './media/get-media.js';
export {
  MEDIA_LIMITS,
  isMediaBodyType,
  bareMimeType,
  mimeTypeAllowed,
  type MediaBodyType,
  type MediaLimit,
} from './media/media-limits.js';
export {
  createMediaStore,
  type StoredMedia,
  type NewMedia,
  type MediaStore,
  type InProcessMediaStore,
  type MediaStoreOptions,
} from './media/media-store.js';
export { signMediaToken, verifyMediaToken, type MediaTokenClaims } from './media/media-token.js';
export type { MessageRepositories } from './message-repositories.js';
export type {
  StageResult,
  StageCondition,
  ConditionalStageResult,
  MessageClaimRequest,
  MessageClaimResult,
  MessageReceipt,
  MessageListFilter,
  MessageRepository,
  MessageHole,
  ReceiptEvent,
} from './message-repository.js';
export { fillPayload } from './message-repository.js';
export {
  MESSAGE_STATUSES,
  advancesStatus,
  type MessageStatus,
  type MediaSource,
  type MessageBody,
  type MessageBodyType,
  type MessageError,
  type Message,
  type NewMessage,
  type MessageStatusEntry,
} from './message.js';
export {
  createOutboxDrainer,
  type OutboxDrainerOptions,
  type OutboxDrainerDeps,
  type DrainOutbox,
} from './outbox/drain-outbox.js';
export {
  createMessageStatusHandler,
  type MessageStatusHandlerDeps,
  type MessageStatusHandler,
} from './outbox/handle-message-status.js';
export { normalizeRecipient, isGroupJid } from './outbox/normalize-recipient.js';
export { outboxJobId, instanceIdOfOutboxJob, createOutboxJobHandler } from './outbox/outbox-job.js';
export { parseMessageBody, checkMessageBody } from './outbox/parse-message-body.js';
export {
  createSendMessage,
  checkMediaUrl,
  findRepeat,
  sameRequestOrConflict,
  SENDABLE,
  stageQueuedMessage,
  type QueuedMessageFields,
  type SendMessageDeps,
  type SendMessageInput,
  type SendMessage,
} from './outbox/send-message.js';
export {
  MAX_TEXT_LENGTH,
  MAX_CAPTION_LENGTH,
  MAX_MEDIA_URL_LENGTH,
  MAX_MIME_TYPE_LENGTH,
  MAX_FILENAME_LENGTH,
  MAX_MENTIONS,
  MAX_MENTION_LENGTH,
  MAX_PLACE_TEXT_LENGTH,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_EMOJI_LENGTH,
  MAX_MESSAGE_REF_LENGTH,
  MAX_CLIENT_REF_LENGTH,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_TYPING_MS,
} from './schemas/message-limits.js';
export { MESSAGE_BODY_TYPES, BASE64_PATTERN, MessageBodySchema } from './schemas/message-body-schema.js';
export {
  SendMessageBodySchema,
  SendMessageWithInstanceBodySchema,
  IdempotencyKeySchema,
  type SendMessageBody,
} from './schemas/send-message-body-schema.js';
export { isOutboxAction, type OutboxActionBody, type OutboxBody } from './outbox/outbox-action.js';
export {
  createStageOutboxAction,
  type StageOutboxActionDeps,
  type StageOutboxActionInput,
  type StageOutboxAction,
} from './outbox/stage-outbox-action.js';
export { EDIT_WINDOW_MS, EditMessageBody, createEditMessage, type EditMessage } from './operations/edit-message.js';
export { createRevokeMessage, type RevokeMessage } from './operations/revoke-message.js';
export { ForwardMessageBody, createForwardMessage, type ForwardMessage } from './operations/forward-message.js';
export { createSweepOutboxes, type SweepOutboxesDeps, type SweepOutboxes } from './outbox/sweep-outboxes.js';
export {
  messageFilterEntries,
  MessageAcceptedJson,
  MessageJson,
  MessageDetailJson,
  toMessageAcceptedJson,
  toMessageJson,
  toMessageDetailJson,
} from './schemas/message-schema.js';
export { SandboxInboundBody, InjectedMessageJson } from './schemas/sandbox-inbound-schema.js';
export { createMessageUseCases, type MessageUseCases, type MessageUseCasesDeps } from './create-message-use-cases.js';
export { messageRequestHash } from './outbox/request-hash.js';
