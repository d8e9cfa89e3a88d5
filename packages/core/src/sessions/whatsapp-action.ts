/*
 * Changes to WhatsApp state other than sending a message (block a contact, show "typing…", mark a chat read,
 * ...). They are staged in the instance's outbox like sends and performed by the outbox worker, in acceptance
 * order with the sends, through `WhatsAppSession.perform`. Addresses are as on the session port (MSISDN or JID).
 */

import type { MessageReference } from './whatsapp-content.js';
import type { GroupChanges } from './whatsapp-groups.js';

/** What the instance shows others: online, offline, typing or recording in a chat, or stopped doing so. */
export const PRESENCE_STATES = ['available', 'unavailable', 'typing', 'recording', 'paused'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

export type SessionAction =
  | { readonly type: 'block'; readonly address: string }
  | { readonly type: 'unblock'; readonly address: string }
  /** `chat` null: the account's own online state (`available`/`unavailable`); else the state shown in that chat. */
  | { readonly type: 'presence'; readonly state: PresenceState; readonly chat: string | null }
  /** Ask WhatsApp to report the chat's presence (typing, online, last seen) as `presence` events. */
  | { readonly type: 'subscribe_presence'; readonly chat: string }
  /** Blue ticks: the given inbound messages (WhatsApp ids) of the chat, or every unread one when null. */
  | { readonly type: 'read'; readonly chat: string; readonly messageIds: readonly string[] | null }
  /** Replace the text of a text message this instance sent. */
  | { readonly type: 'edit'; readonly target: MessageReference; readonly text: string }
  /** Delete a message this instance sent, for everyone. */
  | { readonly type: 'revoke'; readonly target: MessageReference }
  /**
   * Decline a ringing call (`from` as the call reported it). Performed at once rather than staged: a reject
   * that waited behind queued sends would reach a caller who already gave up (see calls/README.md).
   */
  | { readonly type: 'reject_call'; readonly callId: string; readonly from: string }
  /** Change a group's subject, description or settings (this number must be an admin). */
  | { readonly type: 'group_update'; readonly groupId: string; readonly changes: GroupChanges }
  /** Leave a group. */
  | { readonly type: 'group_leave'; readonly groupId: string }
  /**
   * Change how the account files a chat: archive, pin, mute until a time (ISO-8601; null unmutes), mark it
   * unread or read, set disappearing messages (seconds, 0 off). Only the fields present change.
   */
  | {
      readonly type: 'modify_chat';
      readonly chat: string;
      readonly archived?: boolean;
      readonly pinned?: boolean;
      readonly mutedUntil?: string | null;
      readonly unread?: boolean;
      readonly ephemeralSeconds?: number;
    }
  /** Delete the chat from the account's chat list (its messages on the linked devices go with it). */
  | { readonly type: 'delete_chat'; readonly chat: string };

export type SessionActionType = SessionAction['type'];
