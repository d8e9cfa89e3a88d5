/*
 * The WhatsApp session port: one live connection of one instance (one phone number). Implemented by the
 * Baileys adapter (a real phone) and the sandbox adapter (a simulated one); the session manager
 * drives it and turns its events into instance transitions and domain events.
 *
 * Lifecycle, as the listener sees it:
 *   connect() → `connecting` → (no credentials) `qr` (rotating) / `pairing_code` → `connected`
 *   a network drop → `reconnecting` (attempt, delay) → `connecting` → `connected` ...
 *   a terminal cause → `disconnected` (reason); the session then stays down until `connect()` again.
 * `close()` and `logout()` are the caller's own decisions: after either, the listener gets no further
 * event (the caller records the outcome itself). A session never throws from its listener calls and
 * never leaves a timer or socket behind after `close()`/`logout()` resolve.
 */
import type {
  CallUpdate,
  InboundMessage,
  StoryView,
  MessageStatusUpdate,
  OutboundContent,
  PresenceUpdate,
  SendOptions,
} from './whatsapp-content.js';
import type { SessionAction } from './whatsapp-action.js';
import type { MessageChange } from './message-change.js';
import type { WhatsAppDirectory } from './whatsapp-directory.js';
import type { GroupEvent, WhatsAppGroups } from './whatsapp-groups.js';
import type { ChatUpdate } from './whatsapp-chat.js';

/** Why a session ended and needs the caller (or a new pairing) to start it again. */
export type SessionDisconnectReason =
  /** Logged out from the phone (or WhatsApp dropped the device): credentials were wiped. */
  | 'logout'
  /** Another client took over this session (WhatsApp's "replaced"); no automatic reconnect. */
  | 'kicked_other_device'
  /** WhatsApp rejected the stored session (bad session); a new pairing is needed. */
  | 'session_invalidated'
  /** Nobody scanned the QR or typed the pairing code before the pairing deadline. */
  | 'pairing_timeout'
  /** Reconnecting gave up (only when the adapter is configured with a maximum number of attempts). */
  | 'network';

export type SessionStatus =
  | 'idle'
  | 'connecting'
  | 'qr_required'
  | 'connected'
  | 'reconnecting'
  | 'disconnected'
  | 'closed';

export type SessionEvent =
  /** A new QR to show (raw string; rendering to PNG is the caller's job). Rotates until paired. */
  | { readonly type: 'qr'; readonly qr: string }
  | { readonly type: 'pairing_code'; readonly code: string }
  | { readonly type: 'connecting' }
  /** Paired and online. `phoneNumber` is the MSISDN (digits only). */
  | { readonly type: 'connected'; readonly phoneNumber: string }
  /** The connection dropped for a recoverable cause; the next attempt starts after `delayMs`. */
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | { readonly type: 'disconnected'; readonly reason: SessionDisconnectReason }
  /** A message from someone else (status broadcasts, protocol and history messages are never events). */
  | { readonly type: 'message'; readonly message: InboundMessage }
  /** A message sent from the phone itself (`fromMe`), not through this API. */
  | { readonly type: 'own_message'; readonly message: InboundMessage }
  | { readonly type: 'message_status'; readonly update: MessageStatusUpdate }
  /** WhatsApp told us the phone number behind a LID (`lid` a `…@lid` JID, `phoneNumber` an MSISDN). */
  | { readonly type: 'lid_mapping'; readonly lid: string; readonly phoneNumber: string }
  /** A presence in a chat the instance subscribed to. */
  | { readonly type: 'presence'; readonly update: PresenceUpdate }
  /** A reaction, edit, revoke or poll vote on a message of a chat (see message-change.ts). */
  | { readonly type: 'message_change'; readonly change: MessageChange }
  /** An incoming call rang, or ended. */
  | { readonly type: 'call'; readonly call: CallUpdate }
  /** Someone viewed one of the instance's status posts. */
  | { readonly type: 'story_view'; readonly view: StoryView }
  /** Something happened in one of the number's groups (see whatsapp-groups.ts). */
  | { readonly type: 'group'; readonly event: GroupEvent }
  /** A chat of the account was learnt or changed (chat list sync, the phone, or an action of ours). */
  | { readonly type: 'chat_update'; readonly update: ChatUpdate }
  /** A chat was deleted from the account's chat list. */
  | { readonly type: 'chat_delete'; readonly chatId: string };

export type SessionEventType = SessionEvent['type'];

/** Receives a session's events, in order. Must not throw (a throw is caught and logged by the session). */
export type SessionListener = (event: SessionEvent) => void;

/** Why `send` failed. `retryable` ones (the socket is down, a timeout) may succeed later; others never will. */
export type SendFailureCode =
  | 'not_connected'
  | 'timeout'
  | 'invalid_recipient'
  | 'invalid_content'
  | 'send_failed';

export class WhatsAppSendError extends Error {
  override readonly name = 'WhatsAppSendError';

  constructor(
    readonly code: SendFailureCode,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export const isWhatsAppSendError = (error: unknown): error is WhatsAppSendError =>
  error instanceof WhatsAppSendError;

export interface WhatsAppSession {
  readonly instanceId: string;
  readonly status: SessionStatus;
  /**
   * Starts (or restarts after `disconnected`) the connection: resumes from stored credentials, else
   * pairs (QR events). Resolves once the attempt is under way, not when connected; network trouble is
   * reported through events, never as a rejection. A no-op when already connecting or connected.
   * Throws `DomainError('invalid_lifecycle_transition')` after `close()`/`logout()`.
   */
  connect(): Promise<void>;
  /**
   * An 8-character pairing code for `phoneNumber` (MSISDN, digits only), to type on the phone instead of
   * scanning the QR. Waits until the socket can take the request (after `connect()`).
   * Throws `DomainError('invalid_input')` for a malformed number, `DomainError('invalid_lifecycle_transition')`
   * when already paired or not started, `DomainError('unavailable')` when the socket cannot take it in time.
   */
  requestPairingCode(phoneNumber: string): Promise<string>;
  /**
   * Sends one message to `to` (MSISDN or JID). Resolves with WhatsApp's message id once the message left
   * for WhatsApp's server (receipts follow as `message_status` events). Throws `WhatsAppSendError`:
   * `not_connected`/`timeout` (retryable), `invalid_recipient`/`invalid_content` (permanent),
   * `send_failed` (retryable, cause unknown).
   */
  send(to: string, content: OutboundContent, options?: SendOptions): Promise<{ readonly whatsappId: string }>;
  /**
   * Performs one staged change of WhatsApp state (see whatsapp-action.ts). Resolves once WhatsApp took it.
   * Throws `WhatsAppSendError` as `send` does.
   */
  perform(action: SessionAction): Promise<void>;
  /** Live lookups while connected (see whatsapp-directory.ts). */
  readonly directory: WhatsAppDirectory;
  /** Group lookups and the group changes whose answer the caller needs, while connected (see whatsapp-groups.ts). */
  readonly groups: WhatsAppGroups;
  /** Logs the device out on WhatsApp (best effort when offline), closes, and wipes the credentials. */
  logout(): Promise<void>;
  /** Closes the connection without logging out; credentials stay for the next `connect()` (resume). */
  close(): Promise<void>;
}

/** Makes sessions of one kind and answers for their stored credentials. */
export interface WhatsAppSessionFactory {
  /** A new, idle session for the instance; nothing happens until `connect()`. */
  createSession(options: {
    readonly instanceId: string;
    /** The instance's customer, so a factory can read what it stores of one instance by a tenant-scoped key. */
    readonly customerId?: string;
    readonly listener: SessionListener;
  }): WhatsAppSession;
  /** Whether the instance has stored credentials (so `connect()` resumes without a QR). False when absent. */
  hasCredentials(instanceId: string): Promise<boolean>;
  /** Ids of every instance with stored credentials (resume on process start); empty when none. */
  listInstancesWithCredentials(): Promise<string[]>;
  /** Deletes the instance's stored credentials (instance deletion). A no-op when there are none. */
  wipeCredentials(instanceId: string): Promise<void>;
  /**
   * True when every node reads the same credential store (Postgres), so a node that finds none for an
   * instance knows it has none anywhere. Absent or false for a store of this process alone (files under
   * DATA_DIR): on several nodes, missing credentials then only mean "not here".
   */
  readonly sharesCredentials?: boolean;
}
