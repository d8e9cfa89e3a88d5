/*
 * What the session manager needs from a sandbox instance's session beyond the WhatsApp session port: the
 * simulated phone's controls. The simulated phone itself is an adapter (@whatisup/whatsapp-sandbox).
 */
import type { CallUpdate, InboundMessage, MessageReference, OutboundContent, StoryView } from './whatsapp-content.js';
import type { SandboxEventInput } from './sandbox-calls.js';
import type { SessionListener, WhatsAppSession, WhatsAppSessionFactory } from './whatsapp-session.js';
import type { InjectedChange, SandboxChangeInput } from './sandbox-change.js';
import type { GroupEvent } from './whatsapp-groups.js';
import type { SandboxGroupEvent } from './sandbox-groups.js';

/** A message an integrator injects into a sandbox instance: the sending content shapes, media as bytes. */
export interface SandboxInboundInput {
  /** The sender: an MSISDN or a JID (a group JID makes it a group message from `sender`). */
  readonly from: string;
  readonly content: OutboundContent;
  /** In a group, the participant who sent it. */
  readonly sender?: string;
  readonly pushName?: string;
  readonly replyTo?: MessageReference;
}

export interface SandboxSession extends WhatsAppSession {
  /** Completes pairing now, as if the QR were scanned. Throws `invalid_lifecycle_transition` unless a QR is showing. */
  scan(): Promise<void>;
  /**
   * Delivers a message to the instance, which reaches the session listener as a `message` event of the same
   * shape a real phone produces. Throws `not_connected` unless connected, `invalid_input` for a bad address.
   */
  injectInbound(input: SandboxInboundInput): Promise<InboundMessage>;
  /**
   * Delivers a reaction, edit, revoke or poll vote someone made, or their `played` receipt, as the session
   * event a real phone produces for it (sandbox-change.ts). Throws `not_connected` unless connected,
   * `invalid_input` for a bad address.
   */
  injectChange(input: SandboxChangeInput): Promise<InjectedChange>;
  /**
   * Makes the phone report a call or a view of a status post (sandbox-calls.ts), as a `call` or `story_view`
   * event. Throws `not_connected` unless connected, `invalid_input` for a bad address, `not_found` for ending
   * a call that is not ringing.
   */
  injectEvent(input: SandboxEventInput): Promise<CallUpdate | StoryView>;
  /**
   * Plays what another person did in a group (sandbox-groups.ts), which reaches the session listener as a
   * `group` event. Throws `not_connected` unless connected, `invalid_input`, `not_found` (unknown group).
   */
  injectGroupEvent(input: SandboxGroupEvent): Promise<GroupEvent>;
}

/** Makes sandbox sessions and answers for their "credentials" (which sandbox instances are paired). */
export interface SandboxSessionFactory extends WhatsAppSessionFactory {
  createSession(options: Parameters<WhatsAppSessionFactory['createSession']>[0]): SandboxSession;
}
