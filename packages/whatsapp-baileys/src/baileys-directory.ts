/*
 * The session port's live lookups and staged actions on a Baileys socket: `onWhatsApp`, the LID mapping
 * store (`signalRepository.lidMapping`), `profilePictureUrl`, `getBusinessProfile`, `fetchBlocklist` and
 * `updateBlockStatus`; and the staged actions: `sendPresenceUpdate`, `presenceSubscribe`, `readMessages`, and
 * `sendMessage` with `edit` / `delete` keys, `chatModify` (archive, pin, mute, read / unread, delete) and
 * `sendMessage` with `disappearingMessagesInChat`. Only while the connection is open (`socket()` returns null otherwise:
 * `not_connected`). Baileys answers "no picture" and "hidden from you" with a Boom 404 / 401; those are
 * null, not errors. Deadlines are the caller's (core bounds every lookup).
 */
import { WhatsAppSendError, type BusinessProfile, type ContactInfo, type NumberCheck, type SessionAction, type WhatsAppDirectory } from '@whatisup/core';
import { isLidUser, isPnUser, jidNormalizedUser } from '@whiskeysockets/baileys';
import type { WAPresence } from '@whiskeysockets/baileys';
import type { BaileysSocket } from './baileys-socket.js';
import type { UnreadStore } from './unread-store.js';
import type { LastMessageStore } from './last-message-store.js';
import { modifyChat } from './modify-chat.js';
import { statusCodeOf } from './reconnect-policy.js';
import { fromWhatsAppJid, toWhatsAppJid } from './to-whatsapp-jid.js';

const CONNECTION_CODES = new Set([408, 428, 440, 515]);
const ABSENT_CODES = new Set([401, 403, 404]);

/** A Baileys LID or phone value as a normalised JID of that kind (Baileys hands out both `123@lid` and `123`). */
const asJid = (value: string, server: 'lid' | 's.whatsapp.net'): string => jidNormalizedUser(value.includes('@') ? value : `${value}@${server}`);

/** The MSISDN of a phone JID Baileys returned, or null when it is not one. */
function phoneOf(pn: string | null | undefined): string | null {
  if (!pn) return null;
  const jid = asJid(pn, 's.whatsapp.net');
  return isPnUser(jid) ? fromWhatsAppJid(jid) : null;
}

function translate(error: unknown): never {
  if (error instanceof WhatsAppSendError) throw error;
  const code = statusCodeOf(error);
  if (code !== undefined && CONNECTION_CODES.has(code)) throw new WhatsAppSendError('not_connected', 'The WhatsApp connection closed.', true);
  throw new WhatsAppSendError('send_failed', 'WhatsApp failed to answer.', true);
}

/** Runs `call` on the open socket, sorting Baileys' failures into the port's errors; `absent` answers for a 401/403/404. */
async function onSocket<T>(socket: () => BaileysSocket | null, call: (s: BaileysSocket) => Promise<T>, absent?: () => T): Promise<T> {
  const current = socket();
  if (current === null) throw new WhatsAppSendError('not_connected', 'The WhatsApp connection is not open.', true);
  try {
    return await call(current);
  } catch (error) {
    const code = statusCodeOf(error);
    if (absent !== undefined && code !== undefined && ABSENT_CODES.has(code)) return absent();
    return translate(error);
  }
}

function addressJid(address: string): string {
  const jid = toWhatsAppJid(address);
  if (jid === null || jid.endsWith('@g.us')) throw new WhatsAppSendError('invalid_recipient', 'Not a phone number, phone JID or LID.', false);
  return jid;
}

async function lidOfPhone(s: BaileysSocket, jid: string): Promise<string | null> {
  const lid = await s.signalRepository.lidMapping.getLIDForPN(jid).catch(() => null);
  return lid ? asJid(lid, 'lid') : null;
}

function toBusinessProfile(profile: Awaited<ReturnType<BaileysSocket['getBusinessProfile']>>): BusinessProfile | null {
  if (!profile) return null;
  return {
    description: profile.description || null,
    category: profile.category ?? null,
    email: profile.email ?? null,
    websites: (profile.website ?? []).filter((site): site is string => typeof site === 'string' && site.length > 0),
    address: profile.address ?? null,
  };
}

const PRESENCE: Readonly<Record<Extract<SessionAction, { type: 'presence' }>['state'], WAPresence>> = {
  available: 'available',
  unavailable: 'unavailable',
  typing: 'composing',
  recording: 'recording',
  paused: 'paused',
};

/** A chat as the API names it (a person or a group) as a Baileys JID. */
function chatJid(chat: string): string {
  const jid = toWhatsAppJid(chat);
  if (jid === null) throw new WhatsAppSendError('invalid_recipient', 'Not a phone number or a chat JID.', false);
  return jid;
}

export function createBaileysDirectory(
  socket: () => BaileysSocket | null,
  unread: UnreadStore,
  /** The push name last seen on a message from this phone number or LID, if any. */
  pushNameOf: (address: string) => string | null = () => null,
  /** Each chat's last message, which archiving, marking and deleting a chat name. */
  lastMessages: Pick<LastMessageStore, 'lastMessages'> = { lastMessages: () => [] },
): WhatsAppDirectory & { perform(action: SessionAction): Promise<void> } {
  return {
    checkNumbers: (phoneNumbers) =>
      onSocket(socket, async (s) => {
        const found = (await s.onWhatsApp(...phoneNumbers)) ?? [];
        const byPhone = new Map(found.filter((r) => r.exists).map((r) => [phoneOf(r.jid), r.jid]));
        return Promise.all(
          phoneNumbers.map(async (phoneNumber): Promise<NumberCheck> => {
            const jid = byPhone.get(phoneNumber);
            if (jid === undefined) return { phoneNumber, exists: false, jid: null, lid: null };
            const normalised = asJid(jid, 's.whatsapp.net');
            return { phoneNumber, exists: true, jid: normalised, lid: await lidOfPhone(s, normalised) };
          }),
        );
      }),

    phoneNumberOfLid: (lid) => onSocket(socket, async (s) => phoneOf(await s.signalRepository.lidMapping.getPNForLID(asJid(lid, 'lid')))),

    contact: (address) =>
      onSocket(socket, async (s): Promise<ContactInfo | null> => {
        const jid = addressJid(address);
        let phone: string | null;
        let lid: string | null;
        if (isLidUser(jid)) {
          lid = jid;
          phone = phoneOf(await s.signalRepository.lidMapping.getPNForLID(jid).catch(() => null));
        } else {
          const [found] = (await s.onWhatsApp(jid)) ?? [];
          if (!found?.exists) return null;
          phone = fromWhatsAppJid(jid);
          lid = await lidOfPhone(s, jid);
        }
        const business = await s.getBusinessProfile(phone === null ? jid : `${phone}@s.whatsapp.net`).catch(() => undefined);
        const pushName = (phone === null ? null : pushNameOf(phone)) ?? (lid === null ? null : pushNameOf(lid));
        return { jid: phone === null ? jid : `${phone}@s.whatsapp.net`, phoneNumber: phone, lid, pushName, isBusiness: Boolean(business) };
      }),

    profilePicture: (address) =>
      onSocket(
        socket,
        async (s) => {
          const url = await s.profilePictureUrl(addressJid(address), 'image');
          return url ? ({ kind: 'url', url } as const) : null;
        },
        () => null,
      ),

    businessProfile: (address) => onSocket(socket, async (s) => toBusinessProfile(await s.getBusinessProfile(addressJid(address))), () => null),

    blocklist: () =>
      onSocket(socket, async (s) =>
        (await s.fetchBlocklist()).filter((jid): jid is string => typeof jid === 'string' && jid.length > 0).map((jid) => jidNormalizedUser(jid)),
      ),

    perform: (action) =>
      onSocket(socket, async (s) => {
        switch (action.type) {
          case 'block':
          case 'unblock':
            await s.updateBlockStatus(addressJid(action.address), action.type);
            return;
          case 'presence':
            await s.sendPresenceUpdate(PRESENCE[action.state], action.chat === null ? undefined : chatJid(action.chat));
            return;
          case 'subscribe_presence':
            await s.presenceSubscribe(chatJid(action.chat));
            return;
          case 'edit':
          case 'revoke': {
            const jid = chatJid(action.target.chatId);
            const key = { remoteJid: jid, fromMe: true, id: action.target.whatsappId, ...(action.target.participant ? { participant: action.target.participant } : {}) };
            await s.sendMessage(jid, action.type === 'edit' ? { text: action.text, edit: key } : { delete: key });
            return;
          }
          case 'reject_call':
            await s.rejectCall(action.callId, action.from);
            return;
          case 'read': {
            const jid = chatJid(action.chat);
            const keys = unread.take(jid, action.messageIds, jid);
            if (keys.length > 0) await s.readMessages(keys);
            return;
          }
          case 'modify_chat':
            await modifyChat(s, chatJid(action.chat), action, lastMessages.lastMessages(chatJid(action.chat)));
            return;
          case 'delete_chat': {
            const jid = chatJid(action.chat);
            await s.chatModify({ delete: true, lastMessages: lastMessages.lastMessages(jid) }, jid);
            return;
          }
        }
      }),
  };
}
