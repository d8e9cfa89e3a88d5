/*
 * The rules a sandbox injection about an existing message follows (documented in docs/api.md): which
 * message it names and whether the simulated person may do that to it. `message_id` is our `msg_` id or a
 * WhatsApp id; a WhatsApp id of no message of ours names someone else's message in the chat.
 *
 * - reaction: any message; a `msg_` id must be sent already.
 * - edit: a message of someone else (only its sender edits a message): one of ours is `conflict`.
 * - revoke: any message (a group admin may delete others' messages, ours included).
 * - poll_vote: a poll we sent; options among its options, distinct, at most its `selectable_count`
 *   (`invalid_input` otherwise); an empty list withdraws the vote.
 * - played: a voice note (audio) we sent.
 */
import { DomainError } from '../shared/index.js';
import type { MessageReference } from './whatsapp-content.js';
import type { SandboxChangeContent, SandboxChangeInput } from './sandbox-change.js';
import type { SentMessageInfo, SentMessageLookup } from './sent-message-lookup.js';

/** An injection as the HTTP edge takes it: the message named by id, not resolved yet. */
export interface SandboxChangeRequest {
  readonly from: string;
  readonly sender?: string;
  readonly change:
    | { readonly type: 'reaction'; readonly messageId: string; readonly emoji: string }
    | { readonly type: 'edit'; readonly messageId: string; readonly text: string }
    | { readonly type: 'revoke'; readonly messageId: string }
    | { readonly type: 'poll_vote'; readonly messageId: string; readonly options: readonly string[] }
    | { readonly type: 'played'; readonly messageId: string };
}

/**
 * Resolves the named message and checks the rules. Throws not_found (a `msg_` id not of this instance, or a
 * poll or voice note that is not ours), conflict (not sent yet; not a poll; not audio; editing our own
 * message), invalid_input (poll options). Without `lookup`, every id is taken as someone else's message.
 */
export async function resolveSandboxChange(
  instance: { readonly id: string; readonly customerId: string },
  request: SandboxChangeRequest,
  lookup: SentMessageLookup | undefined,
): Promise<SandboxChangeInput> {
  const { change } = request;
  const ours = await findOurs(instance, change.messageId, lookup);
  if (ours !== null && ours.whatsappId === null) {
    throw new DomainError('conflict', 'That message has not been sent yet.', { message_id: change.messageId });
  }
  const target: MessageReference = { whatsappId: ours?.whatsappId ?? change.messageId, chatId: ours?.chatId ?? '', fromMe: ours !== null };
  const needOurs = (what: string): SentMessageInfo => {
    if (ours === null) throw new DomainError('not_found', `No ${what} this instance sent has that id.`, { message_id: change.messageId });
    return ours;
  };
  let resolved: SandboxChangeContent;
  switch (change.type) {
    case 'reaction':
      resolved = { type: 'reaction', target, emoji: change.emoji };
      break;
    case 'edit':
      if (ours !== null) throw new DomainError('conflict', 'Only its sender edits a message; this one is the instance’s own.', { message_id: change.messageId });
      resolved = { type: 'edit', target, text: change.text };
      break;
    case 'revoke':
      resolved = { type: 'revoke', target };
      break;
    case 'poll_vote': {
      const poll = needOurs('poll').poll;
      if (poll === null) throw new DomainError('conflict', 'That message is not a poll.', { message_id: change.messageId });
      checkVote(change.options, poll.options, poll.selectableCount);
      resolved = { type: 'poll_vote', target, selectedOptions: change.options };
      break;
    }
    case 'played':
      if (needOurs('voice note').type !== 'audio') throw new DomainError('conflict', 'Only audio (voice notes) is played.', { message_id: change.messageId });
      resolved = { type: 'played', target };
      break;
  }
  return { from: request.from, ...(request.sender !== undefined && { sender: request.sender }), change: resolved };
}

async function findOurs(instance: { readonly id: string; readonly customerId: string }, messageId: string, lookup: SentMessageLookup | undefined) {
  if (messageId.startsWith('msg_')) {
    const found = lookup === undefined ? null : await lookup.byId(instance.customerId, instance.id, messageId);
    if (found === null) throw new DomainError('not_found', 'No message of this instance has that id.', { message_id: messageId });
    return found;
  }
  return lookup === undefined ? null : lookup.byWhatsappId(instance.id, messageId);
}

function checkVote(selected: readonly string[], options: readonly string[], selectableCount: number): void {
  const unknown = selected.filter((option) => !options.includes(option));
  if (unknown.length > 0) throw invalidVote(`Not an option of the poll: ${unknown.map((o) => JSON.stringify(o)).join(', ')}.`);
  if (new Set(selected).size !== selected.length) throw invalidVote('Each option can be chosen once.');
  if (selected.length > selectableCount) throw invalidVote(`The poll lets a voter choose at most ${selectableCount}.`);
}

const invalidVote = (message: string): DomainError =>
  new DomainError('invalid_input', message, { issues: [{ in: 'body', path: 'body.options', message }] });
