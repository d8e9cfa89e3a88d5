/*
 * Reactions, edits, revokes and poll votes as Baileys 7 delivers them (`messages.upsert` after its
 * cleanMessage) become `message_change` session events. Poll votes are encrypted here exactly as a voting
 * phone does (the inverse of Baileys' decryptPollVote, with Baileys' own crypto), with the secret the
 * session put into the poll it sent.
 */
import { randomBytes } from 'node:crypto';
import type { MessageChange, SessionEvent, WhatsAppSession } from '@whatisup/core';
import type { AnyMessageContent, WAMessage } from '@whiskeysockets/baileys';
import { aesEncryptGCM, hmacSign, proto, sha256 } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '@whatisup/test-infra';
import { createBaileysSessionFactory } from '../src/index.js';
import { createFakeSocketFactory, type FakeBaileysSocket, type SentCall } from './fake-baileys-socket.js';
import { FAST_TUNING, makeDataDir } from './session-harness.js';

const ME = '4915112345678:3@s.whatsapp.net';
const ME_PN = '4915112345678@s.whatsapp.net';
const ANN = '4915100000001@s.whatsapp.net';
const ANN_LID = '123456789012345@lid';
const GROUP = '120363000000000001@g.us';
const TS = 1_746_100_000;

let data: Awaited<ReturnType<typeof makeDataDir>>;
beforeEach(async () => {
  data = await makeDataDir();
});
afterEach(async () => {
  for (const session of open.splice(0)) await session.close();
  await data.cleanup();
});

const open: WhatsAppSession[] = [];

/** A connected session over fake sockets; `polls` answers the poll options the messages table would. */
async function connected(polls: Record<string, string[]> = {}) {
  const fake = createFakeSocketFactory();
  const factory = createBaileysSessionFactory({
    dataDir: data.dir,
    logger: pino({ level: 'silent' }),
    socketFactory: fake.factory,
    tuning: FAST_TUNING,
    sentMessages: {
      byId: async () => null,
      byWhatsappId: async (_instanceId, id) =>
        polls[id] ? { id: 'msg_X', whatsappId: id, chatId: ANN, type: 'poll', poll: { question: 'When?', options: polls[id]!, selectableCount: 1 } } : null,
    },
  });
  const events: SessionEvent[] = [];
  const session = factory.createSession({ instanceId: 'inst_POLLS', listener: (event) => events.push(event) });
  open.push(session);
  await session.connect();
  await until(() => fake.sockets.length === 1);
  const socket = fake.last();
  socket.sendImpl = async (call) => baileysPollResult(call);
  socket.open(ME);
  await until(() => session.status === 'connected');
  const changes = () => events.filter((e): e is Extract<SessionEvent, { type: 'message_change' }> => e.type === 'message_change').map((e) => e.change);
  return { session, socket, events, changes };
}

/** What Baileys' sendMessage resolves with for `{poll}` content (generateWAMessageContent's shape). */
function baileysPollResult(call: SentCall): WAMessage {
  const content = call.content as Extract<AnyMessageContent, { poll: unknown }>;
  const { poll } = content;
  return {
    key: { remoteJid: call.jid, fromMe: true, id: call.options?.messageId ?? '3EB0RANDOM' },
    messageTimestamp: TS,
    message: {
      messageContextInfo: { messageSecret: poll.messageSecret ?? randomBytes(32) },
      pollCreationMessageV3: { name: poll.name, options: poll.values.map((optionName) => ({ optionName })), selectableOptionsCount: poll.selectableCount ?? 0 },
    },
  };
}

/** A vote encrypted as the voter's phone encrypts it. */
function encryptVote(options: string[], ctx: { pollEncKey: Uint8Array; pollCreatorJid: string; pollMsgId: string; voterJid: string }) {
  const sign = Buffer.concat([
    Buffer.from(ctx.pollMsgId),
    Buffer.from(ctx.pollCreatorJid),
    Buffer.from(ctx.voterJid),
    Buffer.from('Poll Vote'),
    new Uint8Array([1]),
  ]);
  const key0 = hmacSign(ctx.pollEncKey, new Uint8Array(32), 'sha256');
  const encKey = hmacSign(sign, key0, 'sha256');
  const encIv = randomBytes(12);
  const plaintext = proto.Message.PollVoteMessage.encode({ selectedOptions: options.map((option) => sha256(Buffer.from(option))) }).finish();
  const encPayload = aesEncryptGCM(plaintext, encKey, encIv, Buffer.from(`${ctx.pollMsgId}\u0000${ctx.voterJid}`));
  return { encPayload, encIv };
}

/** A vote's `messages.upsert` message, after Baileys' cleanMessage (the poll key in our perspective). */
const voteMessage = (key: WAMessage['key'], pollId: string, vote: ReturnType<typeof encryptVote>): WAMessage => ({
  key,
  messageTimestamp: TS + 60,
  pushName: 'Ann',
  message: {
    pollUpdateMessage: { pollCreationMessageKey: { remoteJid: key.remoteJid, fromMe: true, id: pollId }, vote, senderTimestampMs: (TS + 59) * 1000 },
    messageContextInfo: { deviceListMetadataVersion: 2 },
  },
});

const upsert = (socket: FakeBaileysSocket, message: WAMessage) => socket.emit('messages.upsert', { messages: [message], type: 'notify' });

async function sendPoll(session: WhatsAppSession, socket: FakeBaileysSocket, options = ['Monday', 'Tuesday', 'Friday']) {
  const { whatsappId } = await session.send('4915100000001', { type: 'poll', question: 'When?', options, selectableCount: 2 }, { idempotencyId: 'msg_01POLL' });
  const secret = (socket.sent.at(-1)!.content as { poll: { messageSecret?: Uint8Array } }).poll.messageSecret;
  return { whatsappId, secret: secret! };
}

describe('polls the session sends', () => {
  it('carry a message secret derived from the credentials and the poll id, under the id derived from ours', async () => {
    const { session, socket } = await connected();
    const { whatsappId, secret } = await sendPoll(session, socket);
    expect(whatsappId).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(socket.sent[0]!.options?.messageId).toBe(whatsappId);
    expect(secret).toHaveLength(32);
  });
});

describe('poll votes from Baileys', () => {
  it('decrypts a vote with the poll secret and reports the chosen options by text', async () => {
    const { session, socket, changes } = await connected();
    const poll = await sendPoll(session, socket);
    const vote = encryptVote(['Tuesday', 'Friday'], { pollEncKey: poll.secret, pollCreatorJid: ME_PN, pollMsgId: poll.whatsappId, voterJid: ANN });
    upsert(socket, voteMessage({ remoteJid: ANN, fromMe: false, id: '3A00000000000VOTE1' }, poll.whatsappId, vote));
    await until(() => changes().length === 1);
    expect(changes()).toEqual<MessageChange[]>([
      {
        kind: 'poll_vote',
        changeId: '3A00000000000VOTE1',
        target: { whatsappId: poll.whatsappId, chatId: ANN, fromMe: true },
        isGroup: false,
        fromMe: false,
        author: { phoneNumber: '4915100000001', lid: null },
        selectedOptions: ['Tuesday', 'Friday'],
        at: new Date((TS + 59) * 1000),
      },
    ]);
  });

  it('reads a vote whose phone named the voter by LID, and a withdrawn vote as no options', async () => {
    const { session, socket, changes } = await connected();
    const poll = await sendPoll(session, socket);
    const key = { remoteJid: ANN_LID, remoteJidAlt: ANN, fromMe: false, id: '3A00000000000VOTE2' };
    upsert(socket, voteMessage(key, poll.whatsappId, encryptVote(['Monday'], { pollEncKey: poll.secret, pollCreatorJid: ME_PN, pollMsgId: poll.whatsappId, voterJid: ANN_LID })));
    upsert(socket, voteMessage({ ...key, id: '3A00000000000VOTE3' }, poll.whatsappId, encryptVote([], { pollEncKey: poll.secret, pollCreatorJid: ME_PN, pollMsgId: poll.whatsappId, voterJid: ANN_LID })));
    await until(() => changes().length === 2);
    expect(changes().map((c) => [c.kind === 'poll_vote' && c.selectedOptions, c.author])).toEqual([
      [['Monday'], { phoneNumber: '4915100000001', lid: ANN_LID }],
      [[], { phoneNumber: '4915100000001', lid: ANN_LID }],
    ]);
  });

  it('reads votes after a restart from the options in the messages table and the secret derived again', async () => {
    const first = await connected();
    const poll = await sendPoll(first.session, first.socket);
    await first.session.close();
    const { socket, changes } = await connected({ [poll.whatsappId]: ['Monday', 'Tuesday', 'Friday'] });
    upsert(socket, voteMessage({ remoteJid: ANN, fromMe: false, id: '3A00000000000VOTE4' }, poll.whatsappId, encryptVote(['Friday'], { pollEncKey: poll.secret, pollCreatorJid: ME_PN, pollMsgId: poll.whatsappId, voterJid: ANN })));
    await until(() => changes().length === 1);
    expect(changes()[0]).toMatchObject({ kind: 'poll_vote', selectedOptions: ['Friday'] });
  });

  it('drops votes it cannot read: a poll not ours, a poll it does not know, a forged vote', async () => {
    const { session, socket, changes, events } = await connected();
    const poll = await sendPoll(session, socket);
    const theirs = voteMessage({ remoteJid: ANN, fromMe: false, id: 'V5' }, 'THEIRPOLL', encryptVote(['x'], { pollEncKey: randomBytes(32), pollCreatorJid: ANN, pollMsgId: 'THEIRPOLL', voterJid: ANN }));
    upsert(socket, { ...theirs, message: { pollUpdateMessage: { ...theirs.message!.pollUpdateMessage!, pollCreationMessageKey: { remoteJid: ANN, fromMe: false, id: 'THEIRPOLL' } } } });
    upsert(socket, voteMessage({ remoteJid: ANN, fromMe: false, id: 'V6' }, 'UNKNOWNPOLL', encryptVote(['Monday'], { pollEncKey: poll.secret, pollCreatorJid: ME_PN, pollMsgId: 'UNKNOWNPOLL', voterJid: ANN })));
    upsert(socket, voteMessage({ remoteJid: ANN, fromMe: false, id: 'V7' }, poll.whatsappId, encryptVote(['Monday'], { pollEncKey: randomBytes(32), pollCreatorJid: ME_PN, pollMsgId: poll.whatsappId, voterJid: ANN })));
    // Votes are read in arrival order: once the good one after them is out, the three were dropped.
    upsert(socket, voteMessage({ remoteJid: ANN, fromMe: false, id: 'V9' }, poll.whatsappId, encryptVote(['Monday'], { pollEncKey: poll.secret, pollCreatorJid: ME_PN, pollMsgId: poll.whatsappId, voterJid: ANN })));
    await until(() => changes().length > 0);
    expect(changes().map((c) => c.changeId)).toEqual(['V9']);
    expect(events.some((e) => e.type === 'message')).toBe(false);
  });

  it('reads decrypted pollUpdates of a messages.update, as older Baileys emitted them', async () => {
    const { session, socket, changes } = await connected();
    const poll = await sendPoll(session, socket);
    socket.emit('messages.update', [
      {
        key: { remoteJid: ANN, fromMe: true, id: poll.whatsappId },
        update: {
          pollUpdates: [
            { pollUpdateMessageKey: { remoteJid: ANN, fromMe: false, id: 'V8' }, vote: { selectedOptions: [sha256(Buffer.from('Monday'))] }, senderTimestampMs: TS * 1000 },
          ],
        },
      },
    ]);
    await until(() => changes().length === 1);
    expect(changes()[0]).toMatchObject({ kind: 'poll_vote', changeId: 'V8', selectedOptions: ['Monday'], author: { phoneNumber: '4915100000001', lid: null } });
  });
});

describe('reactions, edits and revokes from Baileys', () => {
  it('reports a reaction to our message (the key already in our perspective) and its removal', async () => {
    const { socket, changes, events } = await connected();
    const reaction = (text: string, id: string): WAMessage => ({
      key: { remoteJid: ANN_LID, remoteJidAlt: ANN, fromMe: false, id },
      messageTimestamp: TS,
      pushName: 'Ann',
      message: { reactionMessage: { key: { remoteJid: ANN_LID, fromMe: true, id: '3EB0MINE' }, text, senderTimestampMs: TS * 1000 } },
    });
    upsert(socket, reaction('❤️', 'R1'));
    upsert(socket, reaction('', 'R2'));
    expect(events.some((e) => e.type === 'message')).toBe(false);
    expect(changes()).toEqual([
      {
        kind: 'reaction',
        changeId: 'R1',
        target: { whatsappId: '3EB0MINE', chatId: ANN, fromMe: true },
        isGroup: false,
        fromMe: false,
        author: { phoneNumber: '4915100000001', lid: ANN_LID },
        emoji: '❤️',
        at: new Date(TS * 1000),
      },
      expect.objectContaining({ changeId: 'R2', emoji: '' }),
    ]);
  });

  it('reports an edit (wrapped in editedMessage, as phones send it) with the new text and its time', async () => {
    const { socket, changes } = await connected();
    upsert(socket, {
      key: { remoteJid: GROUP, participant: ANN_LID, participantAlt: ANN, fromMe: false, id: 'E1' },
      messageTimestamp: TS + 30,
      message: {
        editedMessage: {
          message: {
            protocolMessage: {
              key: { remoteJid: GROUP, fromMe: true, id: '3A0000000000ORIG' },
              type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
              editedMessage: { extendedTextMessage: { text: 'see you at 8' } },
              timestampMs: (TS + 29) * 1000,
            },
          },
        },
      },
    });
    expect(changes()).toEqual([
      {
        kind: 'edit',
        changeId: 'E1',
        target: { whatsappId: '3A0000000000ORIG', chatId: GROUP, fromMe: false },
        isGroup: true,
        fromMe: false,
        author: { phoneNumber: '4915100000001', lid: ANN_LID },
        text: 'see you at 8',
        at: new Date((TS + 29) * 1000),
      },
    ]);
  });

  it('reports revokes: of the sender’s own message, and of ours by a group admin', async () => {
    const { socket, changes } = await connected();
    const revoke = (id: string, target: WAMessage['key'], remoteJid = ANN, participant?: string): WAMessage => ({
      key: { remoteJid, fromMe: false, id, ...(participant && { participant }) },
      messageTimestamp: TS,
      message: { protocolMessage: { key: target, type: proto.Message.ProtocolMessage.Type.REVOKE } },
    });
    upsert(socket, revoke('D1', { remoteJid: ME_PN, fromMe: true, id: '3A0000000000THEIRS' }));
    upsert(socket, revoke('D2', { remoteJid: GROUP, fromMe: false, id: '3EB0OURS', participant: ME_PN }, GROUP, ANN));
    expect(changes().map((c) => [c.kind, c.changeId, c.target])).toEqual([
      ['revoke', 'D1', { whatsappId: '3A0000000000THEIRS', chatId: ANN, fromMe: false }],
      ['revoke', 'D2', { whatsappId: '3EB0OURS', chatId: GROUP, fromMe: true, participant: '4915112345678' }],
    ]);
  });

  it('reports an edit made from the phone as our own change', async () => {
    const { socket, changes } = await connected();
    upsert(socket, {
      key: { remoteJid: ANN, fromMe: true, id: 'E2' },
      messageTimestamp: TS,
      message: { protocolMessage: { key: { remoteJid: ANN, fromMe: true, id: '3EB0SENTFROMPHONE' }, type: 14, editedMessage: { conversation: 'typo fixed' } } },
    });
    expect(changes()).toMatchObject([{ kind: 'edit', fromMe: true, target: { fromMe: true }, text: 'typo fixed', author: { phoneNumber: '4915112345678' } }]);
  });
});
