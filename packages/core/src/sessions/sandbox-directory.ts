/*
 * What a sandbox instance's simulated WhatsApp knows about other people: simple, deterministic rules an
 * integrator can build against without a phone (documented in docs/api.md, "Sandbox rules"). Part of the
 * sandbox port's contract, so every implementation answers alike.
 *
 * - A phone number is on WhatsApp unless its last digit is 0.
 * - Its LID is its digits reversed: 4915112345678 ↔ 8765432115194@lid. A LID resolves to a phone number
 *   when the reversed digits form a number that is on WhatsApp.
 * - A number whose last digit is 9 is a business account.
 * - Every contact has a profile picture (a 1×1 PNG) except numbers whose last digit is 8.
 * - Lookups about a number ending in 7777 never answer (to try a deadline).
 * - The blocklist starts empty; block and unblock change it for the session's lifetime.
 * - Subscribing to a chat's presence reports the other party `available` (no last seen) a moment later.
 * - Presence, read receipts, edits and revokes sent by the instance are accepted and change nothing visible.
 * - Changing a chat (archive, pin, mute, mark unread or read, disappearing messages) is reported back a
 *   moment later as the phone reports it: a chat update with exactly the fields changed (read: unread count
 *   0). Deleting a chat is reported back as the chat's deletion. Nothing else ever changes a sandbox chat.
 */
import type { SessionAction } from './whatsapp-action.js';
import type { SessionEvent } from './whatsapp-session.js';
import type { ChatUpdate } from './whatsapp-chat.js';
import type { BusinessProfile, ContactInfo, NumberCheck, ProfilePicture, WhatsAppDirectory } from './whatsapp-directory.js';
import { WhatsAppSendError } from './whatsapp-session.js';

const MSISDN = /^[1-9]\d{7,14}$/;
const PHONE_JID = /^([1-9]\d{7,14})(?::\d+)?@s\.whatsapp\.net$/;
const LID_JID = /^(\d+)(?::\d+)?@lid$/;

/** A 1×1 transparent PNG. */
const PICTURE = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
);

const reversed = (digits: string): string => [...digits].reverse().join('');

/** The sandbox LID JID of a phone number. */
export const sandboxLidOf = (phoneNumber: string): string => `${reversed(phoneNumber)}@lid`;

/** Whether a phone number is on the sandbox's WhatsApp. */
export const sandboxNumberExists = (phoneNumber: string): boolean => MSISDN.test(phoneNumber) && !phoneNumber.endsWith('0');

/** The phone number behind a sandbox LID JID, or null when it resolves to no number on WhatsApp. */
export function sandboxPhoneOfLid(lid: string): string | null {
  const match = LID_JID.exec(lid);
  if (match === null) return null;
  const phone = reversed(match[1]!);
  return sandboxNumberExists(phone) ? phone : null;
}

/** The phone number an address names (MSISDN, phone JID or LID JID), or null. */
function phoneOf(address: string): string | null {
  if (MSISDN.test(address)) return address;
  const phone = PHONE_JID.exec(address);
  if (phone !== null) return phone[1]!;
  return sandboxPhoneOfLid(address);
}

/** What the sandbox's phone reports after a chat change: the fields changed, as a phone reports them. */
function sandboxChatUpdate(action: Extract<SessionAction, { type: 'modify_chat' }>): ChatUpdate {
  return {
    chatId: action.chat,
    ...(action.archived !== undefined && { archived: action.archived }),
    ...(action.pinned !== undefined && { pinned: action.pinned }),
    ...(action.mutedUntil !== undefined && { mutedUntil: action.mutedUntil === null ? null : new Date(action.mutedUntil) }),
    ...(action.unread !== undefined && (action.unread ? { markedUnread: true } : { markedUnread: false, unreadCount: 0 })),
    ...(action.ephemeralSeconds !== undefined && { ephemeralSeconds: action.ephemeralSeconds }),
  };
}

export interface SandboxDirectory extends WhatsAppDirectory {
  /** Applies a staged action to the simulated account; returns the events the phone reports a moment later. */
  apply(action: SessionAction): SessionEvent[];
}

export function createSandboxDirectory(deps: { readonly isConnected: () => boolean }): SandboxDirectory {
  const blocked = new Set<string>();

  /** Runs an answer unless the session is down or the number is one that never answers. */
  function answer<T>(address: string | null, compute: () => T): Promise<T> {
    if (!deps.isConnected()) return Promise.reject(new WhatsAppSendError('not_connected', 'The sandbox instance is not connected.', true));
    if (address !== null && address.endsWith('7777')) return new Promise<T>(() => undefined);
    return Promise.resolve(compute());
  }

  function contactOf(phone: string | null): ContactInfo | null {
    if (phone === null || !sandboxNumberExists(phone)) return null;
    return { jid: `${phone}@s.whatsapp.net`, phoneNumber: phone, lid: sandboxLidOf(phone), pushName: null, isBusiness: phone.endsWith('9') };
  }

  return {
    checkNumbers: (phoneNumbers) =>
      answer(phoneNumbers.find((p) => p.endsWith('7777')) ?? null, () =>
        phoneNumbers.map((phoneNumber): NumberCheck => {
          const exists = sandboxNumberExists(phoneNumber);
          return { phoneNumber, exists, jid: exists ? `${phoneNumber}@s.whatsapp.net` : null, lid: exists ? sandboxLidOf(phoneNumber) : null };
        }),
      ),
    phoneNumberOfLid: (lid) => answer(sandboxPhoneOfLid(lid), () => sandboxPhoneOfLid(lid)),
    contact: (address) => answer(phoneOf(address), () => contactOf(phoneOf(address))),
    profilePicture: (address) =>
      answer(phoneOf(address), (): ProfilePicture | null => {
        const contact = contactOf(phoneOf(address));
        if (contact === null || contact.phoneNumber!.endsWith('8')) return null;
        return { kind: 'bytes', data: PICTURE, mimeType: 'image/png' };
      }),
    businessProfile: (address) =>
      answer(phoneOf(address), (): BusinessProfile | null => {
        const contact = contactOf(phoneOf(address));
        if (contact === null || !contact.isBusiness) return null;
        return {
          description: `Sandbox business ${contact.phoneNumber}`,
          category: 'Testing',
          email: null,
          websites: ['https://example.com'],
          address: null,
        };
      }),
    blocklist: () => answer(null, () => [...blocked].sort()),
    apply(action) {
      switch (action.type) {
        case 'block':
        case 'unblock': {
          const phone = phoneOf(action.address);
          const jid = phone === null ? action.address : `${phone}@s.whatsapp.net`;
          if (action.type === 'block') blocked.add(jid);
          else blocked.delete(jid);
          return [];
        }
        case 'subscribe_presence': {
          const phone = phoneOf(action.chat);
          const participant = phone ?? action.chat;
          const author = phone === null ? undefined : { phoneNumber: phone, lid: sandboxLidOf(phone) };
          return [{ type: 'presence', update: { chatId: action.chat, participant, ...(author && { author }), state: 'available', lastSeen: null } }];
        }
        case 'modify_chat':
          return [{ type: 'chat_update', update: sandboxChatUpdate(action) }];
        case 'delete_chat':
          return [{ type: 'chat_delete', chatId: action.chat }];
        case 'presence':
        case 'read':
        case 'edit':
        case 'revoke':
        // A rejected call is the sandbox's calls' business (sandbox-calls.ts); the account itself does not change.
        case 'reject_call':
          return [];
        case 'group_update':
        case 'group_leave':
          return []; // the session's groups apply these (sandbox-groups.ts)
      }
    },
  };
}
