/*
 * The slice of a Baileys socket the session uses, so tests can hand in a faithful fake (an `ev` emitter
 * with Baileys' event names and payloads, recording `sendMessage` and the directory calls). The default factory is Baileys'
 * makeWASocket.
 */
import { makeWASocket } from '@whiskeysockets/baileys';
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

export interface BaileysSocket {
  readonly ev: {
    on<E extends keyof BaileysEventMap>(event: E, listener: (payload: BaileysEventMap[E]) => void): void;
    removeAllListeners(event?: keyof BaileysEventMap): void;
  };
  readonly user?: { readonly id: string; readonly lid?: string } | undefined;
  sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  updateMediaMessage(message: WAMessage): Promise<WAMessage>;
  logout(reason?: string): Promise<void>;
  onWhatsApp(...phoneNumber: string[]): Promise<Array<{ jid: string; exists: boolean }> | undefined>;
  profilePictureUrl(jid: string, type?: 'preview' | 'image', timeoutMs?: number): Promise<string | undefined>;
  getBusinessProfile(jid: string): Promise<WABusinessProfile | void>;
  updateBlockStatus(jid: string, action: 'block' | 'unblock'): Promise<void>;
  fetchBlocklist(): Promise<Array<string | undefined>>;
  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void>;
  presenceSubscribe(toJid: string): Promise<void>;
  readMessages(keys: WAMessageKey[]): Promise<void>;
  /** Declines a ringing call (`callFrom` as the call event named the caller). */
  rejectCall(callId: string, callFrom: string): Promise<void>;
  groupCreate(subject: string, participants: string[]): Promise<GroupMetadata>;
  groupMetadata(jid: string): Promise<GroupMetadata>;
  groupFetchAllParticipating(): Promise<{ [jid: string]: GroupMetadata }>;
  groupParticipantsUpdate(jid: string, participants: string[], action: ParticipantAction): Promise<Array<{ status: string; jid: string | undefined }>>;
  groupUpdateSubject(jid: string, subject: string): Promise<void>;
  groupUpdateDescription(jid: string, description?: string): Promise<void>;
  groupSettingUpdate(jid: string, setting: 'announcement' | 'not_announcement' | 'locked' | 'unlocked'): Promise<void>;
  groupToggleEphemeral(jid: string, ephemeralExpiration: number): Promise<void>;
  groupJoinApprovalMode(jid: string, mode: 'on' | 'off'): Promise<void>;
  groupInviteCode(jid: string): Promise<string | undefined>;
  groupRevokeInvite(jid: string): Promise<string | undefined>;
  groupAcceptInvite(code: string): Promise<string | undefined>;
  groupLeave(id: string): Promise<void>;
  groupRequestParticipantsList(jid: string): Promise<Array<{ [key: string]: string }>>;
  groupRequestParticipantsUpdate(jid: string, participants: string[], action: 'approve' | 'reject'): Promise<Array<{ status: string; jid: string | undefined }>>;
  updateProfilePicture(jid: string, content: WAMediaUpload, dimensions?: { width: number; height: number }): Promise<void>;
  /** Archive, pin, mute, mark read/unread, delete a chat (an app-state patch the other devices follow). */
  chatModify(mod: ChatModification, jid: string): Promise<void>;
  /** Baileys' LID ↔ phone number store (persisted with the auth state; may ask WhatsApp when it does not know). */
  readonly signalRepository: {
    readonly lidMapping: {
      getPNForLID(lid: string): Promise<string | null>;
      getLIDForPN(pn: string): Promise<string | null>;
    };
  };
  end(error: Error | undefined): void | Promise<void>;
}

export type BaileysSocketFactory = (config: UserFacingSocketConfig) => BaileysSocket;

export const makeBaileysSocket: BaileysSocketFactory = (config) => makeWASocket(config);
