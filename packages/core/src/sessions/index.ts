/*
 * WhatsApp sessions: the session port, the sandbox port, the instance lifecycle and the session manager that
 * turns session events into instance transitions.
 */
export { SESSION_TRANSITIONS, canTransition, REQUEST_RULES, type LifecycleRequest } from './instance-lifecycle.js';
export type { SessionInstance, SessionFactories } from './live-sessions.js';
export type { Qr } from './qr-slot.js';
export type { ResumeReport } from './resume-sessions.js';
export type { SandboxControls } from './sandbox-controls.js';
export { sandboxMessageId, toSandboxInboundMessage } from './sandbox-inbound.js';
export {
  createSandboxDirectory,
  sandboxLidOf,
  sandboxNumberExists,
  sandboxPhoneOfLid,
  type SandboxDirectory,
} from './sandbox-directory.js';
export type { SandboxInboundInput, SandboxSession, SandboxSessionFactory } from './sandbox-session.js';
export type { SessionTrafficHandlers, ChatChange } from './session-event-handler.js';
export { EPHEMERAL_DURATIONS, type ChatUpdate } from './whatsapp-chat.js';
export { createSessionManager, type SessionManagerDeps, type SessionManager } from './session-manager.js';
export type { PairingState, SessionRequests } from './session-requests.js';
export type { SessionSender } from './session-sender.js';
export { isWhatsAppAddress, toChatJid } from './whatsapp-address.js';
export type {
  MessageReference,
  OutboundMedia,
  OutboundContent,
  OutboundContentType,
  SendOptions,
  InboundMedia,
  InboundBody,
  InboundBodyType,
  InboundMessage,
  MessageDeliveryStatus,
  MessageStatusUpdate,
  PersonIdentity,
  PresenceUpdate,
  StatusPostOptions,
  CallUpdate,
  CallUpdateStatus,
  StoryView,
} from './whatsapp-content.js';
export type { MessageChange, MessageChangeKind } from './message-change.js';
export type { SentMessageInfo, SentMessageLookup } from './sent-message-lookup.js';
export {
  toSandboxChangeEvent,
  sandboxPersonOf,
  type SandboxChangeContent,
  type SandboxChangeInput,
  type InjectedChange,
} from './sandbox-change.js';
export { resolveSandboxChange, type SandboxChangeRequest } from './resolve-sandbox-change.js';
export { STATUS_BROADCAST_JID } from './whatsapp-content.js';
export {
  createSandboxCalls,
  sandboxCallId,
  type SandboxCalls,
  type SandboxEventInput,
} from './sandbox-calls.js';
export { PRESENCE_STATES, type PresenceState, type SessionAction, type SessionActionType } from './whatsapp-action.js';
export type { BusinessProfile, ContactInfo, NumberCheck, ProfilePicture, WhatsAppDirectory } from './whatsapp-directory.js';
export {
  GROUP_PARTICIPANT_ACTIONS,
  type CreatedGroup,
  type GroupChanges,
  type GroupEvent,
  type GroupInfo,
  type GroupMember,
  type GroupParticipantAction,
  type GroupPerson,
  type GroupRole,
  type GroupSettings,
  type JoinRequest,
  type ParticipantOutcome,
  type ParticipantResult,
  type WhatsAppGroups,
} from './whatsapp-groups.js';
export { isGroupAction, performGroupAction, type GroupAction } from './group-actions.js';
export { createSandboxGroups, SANDBOX_GROUP_OWNER, type SandboxGroupEvent, type SandboxGroups, type SandboxGroupsDeps } from './sandbox-groups.js';
export { createSessionLookups, type SessionLookups, type LookupOptions } from './session-lookups.js';
export { createInstanceLookup, type InstanceLookup } from './instance-lookup.js';
export {
  WhatsAppSendError,
  isWhatsAppSendError,
  type SessionDisconnectReason,
  type SessionStatus,
  type SessionEvent,
  type SessionEventType,
  type SessionListener,
  type SendFailureCode,
  type WhatsAppSession,
  type WhatsAppSessionFactory,
} from './whatsapp-session.js';
export { QrJson, PairCodeBody, PairCodeJson } from './session-schema.js';
