/*
 * Votes in polls this instance sent. WhatsApp encrypts every vote with a key derived from the poll's
 * message secret (`messageContextInfo.messageSecret`, 32 bytes the poll's sender chose), so only the sender
 * can read them; Baileys 7 delivers a vote as a `messages.upsert` of a `pollUpdateMessage` and leaves the
 * decryption to us (its own, through `getMessage`, is disabled). We decrypt with Baileys' `decryptPollVote`
 * and turn the selected option hashes back into option texts with `getAggregateVotesInPollMessage`.
 * A `messages.update` carrying already decrypted `pollUpdates` (as older Baileys emitted) is read the same way.
 *
 * What we keep of a sent poll (see the ADR on poll secrets): the secret is never stored. It is derived from
 * the device's own credentials and the poll's WhatsApp id (poll-secret.ts) when the poll is sent, and derived
 * again when a vote arrives. The options are the poll's body in the messages table (`lookup`), or, while the
 * process lives, the sent message Baileys built. A vote for a poll we cannot read (someone else's poll, one
 * sent before a new pairing, one whose message expired) is dropped.
 *
 * The vote's AAD names the poll creator's and the voter's JIDs as the voting phone saw them, which may be
 * the phone number or the LID: each candidate pair is tried until the GCM tag verifies.
 */
import type { MessageChange } from '@whatisup/core';
import type { proto, WAMessage } from '@whiskeysockets/baileys';
import { decryptPollVote, getAggregateVotesInPollMessage, isJidGroup, jidNormalizedUser, normalizeMessageContent } from '@whiskeysockets/baileys';
import { toNumberOrNull } from './to-inbound-body.js';
import { authorOfKey, chatJid, type InboundContext } from './to-inbound-message.js';

export interface PollVoteDeps {
  /** The poll as this process sent it (Baileys' message, with its options and secret), when still kept. */
  readonly sentMessage: (whatsappId: string) => proto.IMessage | undefined;
  /** The options of a poll the instance sent, by WhatsApp id, from the messages table; null when unknown. */
  readonly pollOptions: (whatsappId: string) => Promise<readonly string[] | null>;
  /** The poll's message secret, derived from the credentials; null while they are not loaded. */
  readonly secretFor: (whatsappId: string) => Uint8Array | null;
  /** Our own JIDs (phone and LID), as the creator of the poll may be named by either. */
  readonly ownJids: () => ReadonlyArray<string | null | undefined>;
  readonly inbound: InboundContext;
}

interface Poll {
  readonly creation: proto.IMessage;
  readonly optionCount: number;
  readonly secret: Uint8Array | null;
}

export function createPollVoteReader(deps: PollVoteDeps) {
  async function pollOf(id: string): Promise<Poll | null> {
    const kept = deps.sentMessage(id);
    const keptPoll = kept?.pollCreationMessage ?? kept?.pollCreationMessageV2 ?? kept?.pollCreationMessageV3;
    if (kept && keptPoll?.options) {
      const secret = kept.messageContextInfo?.messageSecret ?? deps.secretFor(id);
      return { creation: kept, optionCount: keptPoll.options.length, secret: secret ?? null };
    }
    const options = await deps.pollOptions(id);
    if (options === null) return null;
    return {
      creation: { pollCreationMessage: { options: options.map((optionName) => ({ optionName })) } },
      optionCount: options.length,
      secret: deps.secretFor(id),
    };
  }

  /** The option texts a decrypted vote selects, in the poll's order (Baileys matches them by SHA-256). */
  function selectedOptions(poll: Poll, voteKey: proto.IMessageKey, vote: proto.Message.IPollVoteMessage): string[] {
    const tally = getAggregateVotesInPollMessage({ message: poll.creation, pollUpdates: [{ pollUpdateMessageKey: voteKey, vote }] });
    // Options come first, in order; hashes matching none are appended as "Unknown" and left out.
    return tally.slice(0, poll.optionCount).filter((option) => option.voters.length > 0).map((option) => option.name);
  }

  function change(raw: WAMessage, pollId: string, selected: string[], timestampMs: number | null): MessageChange {
    const seconds = toNumberOrNull(raw.messageTimestamp as number | null | undefined);
    const at = timestampMs !== null && timestampMs > 0 ? new Date(timestampMs) : seconds ? new Date(seconds * 1000) : deps.inbound.now();
    return {
      kind: 'poll_vote',
      changeId: raw.key.id ?? '',
      target: { whatsappId: pollId, chatId: chatJid(raw.key), fromMe: true },
      isGroup: isJidGroup(raw.key.remoteJid ?? '') === true,
      fromMe: raw.key.fromMe === true,
      author: authorOfKey(raw.key, deps.inbound),
      selectedOptions: selected,
      at,
    };
  }

  function decrypt(vote: proto.Message.IPollEncValue, pollId: string, secret: Uint8Array, voteKey: WAMessage['key']) {
    const creators = unique(deps.ownJids());
    const voters = unique(
      voteKey.fromMe === true
        ? deps.ownJids()
        : isJidGroup(voteKey.remoteJid ?? '')
          ? [voteKey.participantAlt, voteKey.participant]
          : [voteKey.remoteJidAlt, voteKey.remoteJid],
    );
    for (const pollCreatorJid of creators) {
      for (const voterJid of voters) {
        try {
          return decryptPollVote(vote, { pollCreatorJid, pollMsgId: pollId, pollEncKey: secret, voterJid });
        } catch {
          // Not the pair the voter's phone used (the GCM tag did not verify): try the next.
        }
      }
    }
    return null;
  }

  return {
    /** A `messages.upsert` message carrying an encrypted vote → the vote, or null (not a vote, not readable). */
    async fromUpsert(raw: WAMessage): Promise<MessageChange | null> {
      const update = normalizeMessageContent(raw.message)?.pollUpdateMessage;
      const pollKey = update?.pollCreationMessageKey;
      // Baileys' cleanMessage put the poll's key in our perspective: `fromMe` is a poll we sent.
      if (!update?.vote || !pollKey?.id || pollKey.fromMe !== true || !raw.key.id) return null;
      const poll = await pollOf(pollKey.id);
      if (poll === null || poll.secret === null) return null;
      const vote = decrypt(update.vote, pollKey.id, poll.secret, raw.key);
      if (vote === null) return null;
      return change(raw, pollKey.id, selectedOptions(poll, raw.key, vote), toNumberOrNull(update.senderTimestampMs as number | null | undefined));
    },
    /** A `messages.update` of one of our polls with decrypted `pollUpdates` → one vote per update. */
    async fromUpdate(pollKey: proto.IMessageKey, updates: readonly proto.IPollUpdate[]): Promise<MessageChange[]> {
      if (!pollKey.id || pollKey.fromMe !== true) return [];
      const poll = await pollOf(pollKey.id);
      if (poll === null) return [];
      const out: MessageChange[] = [];
      for (const update of updates) {
        const voteKey = update.pollUpdateMessageKey;
        if (!voteKey?.id || !update.vote) continue;
        const raw = { key: { ...voteKey, remoteJid: voteKey.remoteJid ?? pollKey.remoteJid } } as WAMessage;
        out.push(change(raw, pollKey.id, selectedOptions(poll, voteKey, update.vote), toNumberOrNull(update.senderTimestampMs as number | null | undefined)));
      }
      return out;
    },
  };
}

export type PollVoteReader = ReturnType<typeof createPollVoteReader>;

const unique = (jids: ReadonlyArray<string | null | undefined>): string[] => [
  ...new Set(jids.filter((jid): jid is string => typeof jid === 'string' && jid.length > 0).map((jid) => jidNormalizedUser(jid))),
];
