/*
 * What an integrator injects into a sandbox instance besides a message: a reaction, an edit, a revoke or a
 * poll vote by someone in a chat, or their "played" receipt of a voice note we sent. Turned here into the
 * very session event the Baileys adapter produces for the real thing (`message_change`, or `message_status`
 * with `played`), so everything downstream cannot tell the sandbox from a phone. Part of the sandbox port's
 * contract (`SandboxSession.injectChange`), shared by the sandbox adapter and core's fake.
 *
 * The sandbox controls resolve the message an injection names (our `msg_` id or a WhatsApp id) before the
 * session sees it, and check the documented rules (sandbox-controls.ts): a `target` here is final.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../shared/index.js';
import type { MessageReference, PersonIdentity } from './whatsapp-content.js';
import type { SessionEvent } from './whatsapp-session.js';
import { isWhatsAppAddress, toChatJid } from './whatsapp-address.js';
import { sandboxLidOf } from './sandbox-directory.js';

export type SandboxChangeContent =
  | { readonly type: 'reaction'; readonly target: MessageReference; /** Empty removes the reaction. */ readonly emoji: string }
  | { readonly type: 'edit'; readonly target: MessageReference; readonly text: string }
  | { readonly type: 'revoke'; readonly target: MessageReference }
  | { readonly type: 'poll_vote'; readonly target: MessageReference; readonly selectedOptions: readonly string[] }
  | { readonly type: 'played'; readonly target: MessageReference };

export interface SandboxChangeInput {
  /** Who did it: an MSISDN or a JID (a group JID makes it happen in the group, by `sender`). */
  readonly from: string;
  readonly sender?: string;
  readonly change: SandboxChangeContent;
}

/** What an injection produced: the id of the message that carried it (the target's for a receipt). */
export interface InjectedChange {
  readonly changeId: string;
  readonly from: string;
  readonly chatId: string;
  readonly at: Date;
}

/** Throws DomainError('invalid_input') for a malformed `from` or `sender`. */
export function toSandboxChangeEvent(input: SandboxChangeInput, at: Date): { readonly injected: InjectedChange; readonly event: SessionEvent } {
  if (!isWhatsAppAddress(input.from)) throw invalidAddress('from');
  const chatId = toChatJid(input.from);
  const isGroup = chatId.endsWith('@g.us');
  if (isGroup && (input.sender === undefined || !isWhatsAppAddress(input.sender))) throw invalidAddress('sender');
  const actor = isGroup ? input.sender! : input.from;
  const author = sandboxPersonOf(actor);
  const { change } = input;
  const target = { ...change.target, chatId };
  if (change.type === 'played') {
    const event: SessionEvent = {
      type: 'message_status',
      update: {
        whatsappId: target.whatsappId,
        chatId,
        status: 'played',
        ...(isGroup && { participant: author.phoneNumber ?? actor, participantIdentity: author }),
        at,
      },
    };
    return { injected: { changeId: target.whatsappId, from: actor, chatId, at }, event };
  }
  const changeId = `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
  const base = { changeId, target, isGroup, fromMe: false, author, at } as const;
  const event: SessionEvent = {
    type: 'message_change',
    change:
      change.type === 'reaction'
        ? { ...base, kind: 'reaction', emoji: change.emoji }
        : change.type === 'edit'
          ? { ...base, kind: 'edit', text: change.text }
          : change.type === 'revoke'
            ? { ...base, kind: 'revoke' }
            : { ...base, kind: 'poll_vote', selectedOptions: change.selectedOptions },
  };
  return { injected: { changeId, from: actor, chatId, at }, event };
}

/** Both addresses of a person by the sandbox's rules: a phone number comes with its LID; a LID alone. */
export function sandboxPersonOf(address: string): PersonIdentity {
  const lid = /^(\d+)(?::\d+)?@lid$/.exec(address);
  if (lid !== null) return { phoneNumber: null, lid: `${lid[1]}@lid` };
  const phone = /^(\d+)(?::\d+)?(?:@s\.whatsapp\.net)?$/.exec(address);
  return phone === null ? { phoneNumber: null, lid: null } : { phoneNumber: phone[1]!, lid: sandboxLidOf(phone[1]!) };
}

const invalidAddress = (field: string): DomainError =>
  new DomainError('invalid_input', `${field} must be an MSISDN (8-15 digits, no +) or a WhatsApp JID.`, { field });
