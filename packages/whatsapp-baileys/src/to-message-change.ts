/*
 * A Baileys WAMessage (from `messages.upsert`) that changes an existing message → the domain MessageChange:
 * a `reactionMessage`, or a `protocolMessage` of type REVOKE (0) or MESSAGE_EDIT (14), the latter possibly
 * wrapped in `editedMessage` (normalizeMessageContent unwraps it). Poll votes are poll-votes.ts (they need
 * decrypting). Null for anything else.
 *
 * Perspective: Baileys' cleanMessage rewrites a reaction's key to ours (`fromMe`: the reacted-to message is
 * ours) before `messages.upsert`, but not a protocol message's key, which stays the sender's: there
 * `fromMe` means "the editor's / revoker's own message". An edit is always of the editor's own message; a
 * revoke is of the revoker's own message, or (a group admin) of the participant the key names.
 */
import type { MessageChange, MessageReference } from '@whatisup/core';
import type { proto, WAMessage } from '@whiskeysockets/baileys';
import { isJidBroadcast, isJidGroup, isJidNewsletter, normalizeMessageContent } from '@whiskeysockets/baileys';
import { toNumberOrNull } from './to-inbound-body.js';
import { authorOfKey, chatJid, preferPhone, type InboundContext } from './to-inbound-message.js';

const REVOKE = 0;
const MESSAGE_EDIT = 14;

export function toMessageChange(message: WAMessage, ctx: InboundContext): MessageChange | null {
  const { key } = message;
  const remote = key.remoteJid;
  if (!remote || !key.id || isJidBroadcast(remote) || isJidNewsletter(remote)) return null;
  const content = normalizeMessageContent(message.message);
  if (!content) return null;
  const chatId = chatJid(key);
  const fromMe = key.fromMe === true;
  const seconds = toNumberOrNull(message.messageTimestamp as number | null | undefined);
  const base = {
    changeId: key.id,
    isGroup: isJidGroup(remote) === true,
    fromMe,
    author: authorOfKey(key, ctx),
    at: seconds !== null && seconds > 0 ? new Date(seconds * 1000) : ctx.now(),
  };
  const reference = (ref: proto.IMessageKey, ours: boolean): MessageReference => {
    const participant = preferPhone(ref.participant);
    return { whatsappId: ref.id ?? '', chatId, fromMe: ours, ...(participant !== null && { participant }) };
  };

  const reaction = content.reactionMessage;
  if (reaction?.key?.id) {
    return { ...base, kind: 'reaction', target: reference(reaction.key, reaction.key.fromMe === true), emoji: reaction.text ?? '' };
  }
  const protocol = content.protocolMessage;
  if (!protocol?.key?.id) return null;
  if (protocol.type === MESSAGE_EDIT) {
    const text = editedText(protocol.editedMessage);
    if (text === null) return null;
    const ms = toNumberOrNull(protocol.timestampMs as number | null | undefined);
    return { ...base, ...(ms !== null && ms > 0 && { at: new Date(ms) }), kind: 'edit', target: reference(protocol.key, fromMe), text };
  }
  if (protocol.type === REVOKE) {
    // The revoker's own message (`fromMe` in their perspective), else the participant's a group admin deleted.
    const ours = protocol.key.fromMe === true ? fromMe : protocol.key.participant ? ctx.isMe(protocol.key.participant) : false;
    return { ...base, kind: 'revoke', target: reference(protocol.key, ours) };
  }
  return null;
}

/** The new text of an edit: the text, or the new caption of a media message; null when it has neither. */
function editedText(edited: proto.IMessage | null | undefined): string | null {
  const content = normalizeMessageContent(edited);
  if (!content) return null;
  const text =
    content.conversation ??
    content.extendedTextMessage?.text ??
    content.imageMessage?.caption ??
    content.videoMessage?.caption ??
    content.documentMessage?.caption ??
    null;
  return text === null || text === undefined ? null : text;
}
