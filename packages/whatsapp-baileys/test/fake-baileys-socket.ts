/*
 * A fake Baileys socket: an EventEmitter `ev` taking Baileys' event names and payload shapes, recording
 * what the session asks of it. Tests drive it the way WhatsApp drives a real socket.
 */
import { EventEmitter } from 'node:events';
import type {
  AnyMessageContent,
  BaileysEventMap,
  GroupMetadata,
  ParticipantAction,
  WAMediaUpload,
  ChatModification,
  MiscMessageGenerationOptions,
  UserFacingSocketConfig,
  WABusinessProfile,
  WAMessage,
  WAMessageKey,
  WAPresence,
} from '@whiskeysockets/baileys';
import type { BaileysSocket, BaileysSocketFactory } from '../src/baileys-socket.js';

export interface SentCall {
  readonly jid: string;
  readonly content: AnyMessageContent;
  readonly options: MiscMessageGenerationOptions | undefined;
}

/** A Boom-shaped error as Baileys puts in `lastDisconnect.error`. */
export function boom(statusCode: number, message = `status ${statusCode}`): Error {
  return Object.assign(new Error(message), { isBoom: true, output: { statusCode, payload: { statusCode } } });
}

/** Someone on the fake WhatsApp: what the directory calls answer about them. */
export interface FakeAccount {
  /** Their LID JID, when WhatsApp maps them to one. */
  readonly lid?: string;
  readonly business?: WABusinessProfile;
  /** Their picture URL on WhatsApp's CDN; absent: Baileys' 404 `item-not-found`. */
  readonly pictureUrl?: string;
}

export class FakeBaileysSocket implements BaileysSocket {
  readonly emitter = new EventEmitter();
  readonly ev = {
    on: <E extends keyof BaileysEventMap>(event: E, listener: (payload: BaileysEventMap[E]) => void): void => {
      this.emitter.on(event, listener);
    },
    removeAllListeners: (event?: keyof BaileysEventMap): void => {
      this.emitter.removeAllListeners(event);
    },
  };
  user: { id: string; lid?: string } | undefined;
  readonly sent: SentCall[] = [];
  readonly pairingRequests: string[] = [];
  ended = false;
  loggedOut = false;
  sendImpl: ((call: SentCall) => Promise<WAMessage | undefined>) | null = null;
  /** The fake WhatsApp's users by phone JID (`…@s.whatsapp.net`). */
  readonly accounts = new Map<string, FakeAccount>();
  /** JIDs the account has blocked, as `fetchBlocklist` returns them. */
  blocked: string[] = [];
  /** Every directory call (`onWhatsApp:<jids>`, `profilePictureUrl:<jid>`, `updateBlockStatus:<jid>:<action>`, ...). */
  readonly calls: string[] = [];
  /** When set, directory calls never answer (a silent WhatsApp). */
  silent = false;
  readonly signalRepository = {
    lidMapping: {
      getPNForLID: async (lid: string): Promise<string | null> => {
        this.calls.push(`getPNForLID:${lid}`);
        for (const [pn, account] of this.accounts) if (account.lid === lid) return pn.replace('@', ':0@');
        return null;
      },
      getLIDForPN: async (pn: string): Promise<string | null> => {
        this.calls.push(`getLIDForPN:${pn}`);
        return this.accounts.get(pn)?.lid ?? null;
      },
    },
  };
  private counter = 0;

  constructor(readonly config: UserFacingSocketConfig) {}

  emit<E extends keyof BaileysEventMap>(event: E, payload: BaileysEventMap[E]): void {
    this.emitter.emit(event, payload);
  }

  showQr(qr: string): void {
    this.emit('connection.update', { qr });
  }

  open(userJid = '4915112345678:3@s.whatsapp.net'): void {
    this.user = { id: userJid };
    this.emit('connection.update', { connection: 'open' });
  }

  close(statusCode: number): void {
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error: boom(statusCode), date: new Date() } });
  }

  async sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined> {
    const call = { jid, content, options };
    this.sent.push(call);
    if (this.sendImpl) return this.sendImpl(call);
    this.counter += 1;
    const message = 'text' in content ? { conversation: content.text } : { extendedTextMessage: { text: 'media' } };
    return { key: { remoteJid: jid, fromMe: true, id: `3EB0FAKE${this.counter}` }, message };
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    return 'ABCD1234';
  }

  async updateMediaMessage(message: WAMessage): Promise<WAMessage> {
    return message;
  }

  private answer<T>(value: () => T): Promise<T> {
    return this.silent ? new Promise<T>(() => undefined) : Promise.resolve().then(value);
  }

  onWhatsApp(...phoneNumber: string[]): Promise<Array<{ jid: string; exists: boolean }> | undefined> {
    this.calls.push(`onWhatsApp:${phoneNumber.join(',')}`);
    // As Baileys: a USync query whose answer lists only numbers that are contacts on WhatsApp.
    return this.answer(() =>
      phoneNumber
        .map((n) => `${n.replace('+', '').split('@')[0]!.split(':')[0]}@s.whatsapp.net`)
        .filter((jid) => this.accounts.has(jid))
        .map((jid) => ({ jid, exists: true })),
    );
  }

  profilePictureUrl(jid: string, type?: 'preview' | 'image'): Promise<string | undefined> {
    this.calls.push(`profilePictureUrl:${jid}:${type ?? 'preview'}`);
    return this.answer(() => {
      const url = this.accounts.get(jid)?.pictureUrl;
      if (url === undefined) throw boom(404, 'item-not-found');
      return url;
    });
  }

  getBusinessProfile(jid: string): Promise<WABusinessProfile | void> {
    this.calls.push(`getBusinessProfile:${jid}`);
    return this.answer(() => this.accounts.get(jid)?.business);
  }

  updateBlockStatus(jid: string, action: 'block' | 'unblock'): Promise<void> {
    this.calls.push(`updateBlockStatus:${jid}:${action}`);
    return this.answer(() => {
      this.blocked = action === 'block' ? [...new Set([...this.blocked, jid])] : this.blocked.filter((b) => b !== jid);
    });
  }

  fetchBlocklist(): Promise<Array<string | undefined>> {
    this.calls.push('fetchBlocklist');
    return this.answer(() => [...this.blocked]);
  }

  /** Every key `readMessages` was given, in order. */
  readonly readKeys: WAMessageKey[] = [];

  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void> {
    this.calls.push(`sendPresenceUpdate:${type}:${toJid ?? ''}`);
    return this.answer(() => undefined);
  }

  presenceSubscribe(toJid: string): Promise<void> {
    this.calls.push(`presenceSubscribe:${toJid}`);
    return this.answer(() => undefined);
  }

  rejectCall(callId: string, callFrom: string): Promise<void> {
    this.calls.push(`rejectCall:${callId}:${callFrom}`);
    return this.answer(() => undefined);
  }

  readMessages(keys: WAMessageKey[]): Promise<void> {
    this.calls.push(`readMessages:${keys.map((k) => k.id).join(',')}`);
    this.readKeys.push(...keys);
    return this.answer(() => undefined);
  }

  /** Groups this number is in, by JID, as `groupMetadata` answers them. */
  readonly groups = new Map<string, GroupMetadata>();
  /** WhatsApp's per-person answer to a participant change or join-request answer (`error` attr), by JID; absent: '200'. */
  readonly participantStatus = new Map<string, string>();
  /** JIDs `groupCreate` cannot add (WhatsApp leaves them out of the new group). */
  readonly notAddable = new Set<string>();
  /** Invite codes WhatsApp knows, to the group JID `groupAcceptInvite` answers. */
  readonly invites = new Map<string, string>();
  /** `groupRequestParticipantsList` answers, by group JID (the `membership_approval_request` attrs). */
  readonly joinRequests = new Map<string, Array<{ [key: string]: string }>>();
  /** Numbers the invite codes this fake hands out (`INVITE<n>`). */
  private inviteCounter = 0;

  private group(jid: string): GroupMetadata {
    const found = this.groups.get(jid);
    if (found === undefined) throw boom(404, 'item-not-found');
    return found;
  }

  groupCreate(subject: string, participants: string[]): Promise<GroupMetadata> {
    this.calls.push(`groupCreate:${subject}:${participants.join(',')}`);
    return this.answer(() => {
      const id = `12036302524612548${this.groups.size}@g.us`;
      const owner = this.user?.id.replace(/:\d+@/, '@') ?? '4915112345678@s.whatsapp.net';
      const meta: GroupMetadata = {
        id,
        addressingMode: 'pn' as GroupMetadata['addressingMode'],
        subject,
        subjectOwner: owner,
        subjectTime: 1_777_000_000,
        size: participants.length + 1,
        creation: 1_777_000_000,
        owner,
        restrict: false,
        announce: false,
        isCommunity: false,
        isCommunityAnnounce: false,
        joinApprovalMode: false,
        memberAddMode: false,
        participants: [
          { id: owner, admin: 'superadmin' },
          ...participants.filter((p) => !this.notAddable.has(p)).map((p) => ({ id: p, admin: null })),
        ],
      };
      this.groups.set(id, meta);
      this.invites.set(`INVITE${this.inviteCounter}`, id);
      return meta;
    });
  }

  groupMetadata(jid: string): Promise<GroupMetadata> {
    this.calls.push(`groupMetadata:${jid}`);
    return this.answer(() => this.group(jid));
  }

  groupFetchAllParticipating(): Promise<{ [jid: string]: GroupMetadata }> {
    this.calls.push('groupFetchAllParticipating');
    return this.answer(() => {
      const data = Object.fromEntries(this.groups);
      this.emit('groups.update', Object.values(data)); // as Baileys does after every fetch
      return data;
    });
  }

  groupParticipantsUpdate(jid: string, participants: string[], action: ParticipantAction): Promise<Array<{ status: string; jid: string | undefined }>> {
    this.calls.push(`groupParticipantsUpdate:${jid}:${action}:${participants.join(',')}`);
    return this.answer(() => {
      this.group(jid);
      return participants.map((p) => ({ status: this.participantStatus.get(p) ?? '200', jid: p }));
    });
  }

  groupUpdateSubject(jid: string, subject: string): Promise<void> {
    this.calls.push(`groupUpdateSubject:${jid}:${subject}`);
    return this.answer(() => void this.group(jid));
  }

  groupUpdateDescription(jid: string, description?: string): Promise<void> {
    this.calls.push(`groupUpdateDescription:${jid}:${description ?? '<delete>'}`);
    return this.answer(() => void this.group(jid));
  }

  groupSettingUpdate(jid: string, setting: 'announcement' | 'not_announcement' | 'locked' | 'unlocked'): Promise<void> {
    this.calls.push(`groupSettingUpdate:${jid}:${setting}`);
    return this.answer(() => void this.group(jid));
  }

  groupToggleEphemeral(jid: string, ephemeralExpiration: number): Promise<void> {
    this.calls.push(`groupToggleEphemeral:${jid}:${ephemeralExpiration}`);
    return this.answer(() => void this.group(jid));
  }

  groupJoinApprovalMode(jid: string, mode: 'on' | 'off'): Promise<void> {
    this.calls.push(`groupJoinApprovalMode:${jid}:${mode}`);
    return this.answer(() => void this.group(jid));
  }

  groupInviteCode(jid: string): Promise<string | undefined> {
    this.calls.push(`groupInviteCode:${jid}`);
    return this.answer(() => {
      this.group(jid);
      return [...this.invites].find(([, group]) => group === jid)?.[0];
    });
  }

  groupRevokeInvite(jid: string): Promise<string | undefined> {
    this.calls.push(`groupRevokeInvite:${jid}`);
    return this.answer(() => {
      this.group(jid);
      for (const [code, group] of this.invites) if (group === jid) this.invites.delete(code);
      this.inviteCounter += 1;
      this.invites.set(`INVITE${this.inviteCounter}`, jid);
      return `INVITE${this.inviteCounter}`;
    });
  }

  groupAcceptInvite(code: string): Promise<string | undefined> {
    this.calls.push(`groupAcceptInvite:${code}`);
    return this.answer(() => {
      const group = this.invites.get(code);
      if (group === undefined) throw boom(406, 'not-acceptable');
      return group;
    });
  }

  groupLeave(id: string): Promise<void> {
    this.calls.push(`groupLeave:${id}`);
    return this.answer(() => {
      this.group(id);
      this.groups.delete(id);
    });
  }

  groupRequestParticipantsList(jid: string): Promise<Array<{ [key: string]: string }>> {
    this.calls.push(`groupRequestParticipantsList:${jid}`);
    return this.answer(() => {
      this.group(jid);
      return this.joinRequests.get(jid) ?? [];
    });
  }

  groupRequestParticipantsUpdate(jid: string, participants: string[], action: 'approve' | 'reject'): Promise<Array<{ status: string; jid: string | undefined }>> {
    this.calls.push(`groupRequestParticipantsUpdate:${jid}:${action}:${participants.join(',')}`);
    return this.answer(() => {
      this.group(jid);
      return participants.map((p) => ({ status: this.participantStatus.get(p) ?? '200', jid: p }));
    });
  }

  /** Every picture `updateProfilePicture` was given. */
  readonly pictures: Array<{ jid: string; content: WAMediaUpload }> = [];

  updateProfilePicture(jid: string, content: WAMediaUpload): Promise<void> {
    this.calls.push(`updateProfilePicture:${jid}`);
    this.pictures.push({ jid, content });
    return this.answer(() => void this.group(jid));
  }

  /** Every `chatModify` call, in order. */
  readonly chatModifications: Array<{ readonly mod: ChatModification; readonly jid: string }> = [];

  /**
   * Records the patch and, as Baileys does with `emitOwnEvents` (its default), echoes it as the sync action
   * would arrive: `chats.update` with `archived`, `pinned` (the pin time in seconds, or null), `muteEndTime`
   * or `unreadCount` (0 read, -1 unread), or `chats.delete`.
   */
  chatModify(mod: ChatModification, jid: string): Promise<void> {
    this.chatModifications.push({ mod, jid });
    this.calls.push(`chatModify:${Object.keys(mod)[0]}:${jid}`);
    return this.answer(() => {
      if ('archive' in mod) this.emit('chats.update', [{ id: jid, archived: mod.archive }]);
      else if ('pin' in mod) this.emit('chats.update', [{ id: jid, pinned: mod.pin ? 1_746_100_000 : null }]);
      else if ('mute' in mod) this.emit('chats.update', [{ id: jid, muteEndTime: mod.mute }]);
      else if ('markRead' in mod) this.emit('chats.update', [{ id: jid, unreadCount: mod.markRead ? 0 : -1 }]);
      else if ('delete' in mod) this.emit('chats.delete', [jid]);
    });
  }

  async logout(): Promise<void> {
    this.loggedOut = true;
    this.close(401); // what Baileys does: end the socket with loggedOut
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error: boom(428, 'Connection Closed'), date: new Date() } });
  }
}

export function createFakeSocketFactory(): { factory: BaileysSocketFactory; sockets: FakeBaileysSocket[]; last(): FakeBaileysSocket } {
  const sockets: FakeBaileysSocket[] = [];
  return {
    sockets,
    factory: (config) => {
      const socket = new FakeBaileysSocket(config);
      sockets.push(socket);
      return socket;
    },
    last() {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was created');
      return socket;
    },
  };
}
