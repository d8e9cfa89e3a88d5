export {
  SESSION_TRANSITIONS,
  canTransition,
  statusesAllowing,
  REQUEST_RULES,
  assertRequestAllowed,
  illegalRequest,
  type LifecycleRequest,
} from './instance-lifecycle.js';
export {
  createInstanceTransitioner,
  type InstanceRef,
  type TransitionRequest,
  type TransitionResult,
  type InstanceTransitionerDeps,
  type InstanceTransitioner,
} from './instance-transitioner.js';
export {
  createLiveSessions,
  type SessionInstance,
  type SessionFactories,
  type LiveSession,
  type LiveSessions,
} from './live-sessions.js';
export { createQrSlot, type Qr, type QrSlot } from './qr-slot.js';
export { resumeSessions, type ResumeDeps, type ResumeReport } from './resume-sessions.js';
export { createSandboxControls, type SandboxControls } from './sandbox-controls.js';
export { sandboxMessageId, toSandboxInboundMessage } from './sandbox-inbound.js';
export type { SandboxInboundInput, SandboxSession, SandboxSessionFactory } from './sandbox-session.js';
export {
  createSessionEventHandler,
  type SessionTrafficHandlers,
  type SessionEventHandlerDeps,
} from './session-event-handler.js';
export { createSessionManager, type SessionManagerDeps, type SessionManager } from './session-manager.js';
export { createSessionRequests, type SessionRequests, type SessionRequestsDeps } from './session-requests.js';
export { createSessionSender, type SessionSender } from './session-sender.js';
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
} from './whatsapp-content.js';
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
