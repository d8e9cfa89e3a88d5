/*
 * Something someone did to a message that already exists in a chat: a reaction, an edit, a deletion for
 * everyone (revoke) or a vote in a poll. None of these is a message of its own to the integrator: each
 * names the message it is about (`target`) and who did it. `fromMe` means this instance's own account did
 * it (from the phone, or through the API); the target's own `fromMe` says whose the message is.
 * Adapters report them as `message_change` session events; poll votes arrive decrypted, as option names.
 */
import type { MessageReference, PersonIdentity } from './whatsapp-content.js';

interface ChangeBase {
  /** WhatsApp's id of the message that carried the change (the reaction, the edit, the vote). */
  readonly changeId: string;
  /** The message the change is about. Its `chatId` is the chat the change happened in. */
  readonly target: MessageReference;
  readonly isGroup: boolean;
  /** True when this instance's own account made the change. */
  readonly fromMe: boolean;
  /** Who made the change, by both addresses as far as known. */
  readonly author: PersonIdentity;
  readonly at: Date;
}

export type MessageChange =
  /** `emoji` empty: the author removed their reaction. */
  | (ChangeBase & { readonly kind: 'reaction'; readonly emoji: string })
  /** The new text (a caption for media). */
  | (ChangeBase & { readonly kind: 'edit'; readonly text: string })
  | (ChangeBase & { readonly kind: 'revoke' })
  /** The author's whole current choice in a poll of ours; empty: they withdrew their vote. */
  | (ChangeBase & { readonly kind: 'poll_vote'; readonly selectedOptions: readonly string[] });

export type MessageChangeKind = MessageChange['kind'];
