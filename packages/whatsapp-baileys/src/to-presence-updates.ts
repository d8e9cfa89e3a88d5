/*
 * Baileys' `presence.update` ({ id: chat, presences: { [participant]: { lastKnownPresence, lastSeen? } } }) →
 * one domain PresenceUpdate per participant. `composing` is "typing"; `lastSeen` is in seconds.
 */
import type { PresenceUpdate } from '@whatisup/core';
import type { BaileysEventMap } from '@whiskeysockets/baileys';
import { isLidUser, isPnUser, jidNormalizedUser } from '@whiskeysockets/baileys';
import { toLidJid, toPhoneNumber } from './to-whatsapp-jid.js';

const STATES: Readonly<Record<string, PresenceUpdate['state']>> = {
  available: 'available',
  unavailable: 'unavailable',
  composing: 'typing',
  recording: 'recording',
  paused: 'paused',
};

export function toPresenceUpdates(update: BaileysEventMap['presence.update']): PresenceUpdate[] {
  const chatId = jidNormalizedUser(update.id);
  return Object.entries(update.presences).flatMap(([participant, data]): PresenceUpdate[] => {
    const state = STATES[data.lastKnownPresence];
    if (state === undefined) return [];
    const phoneNumber = isPnUser(participant) ? toPhoneNumber(participant) : null;
    const lid = isLidUser(participant) ? toLidJid(participant) : null;
    const lastSeen = typeof data.lastSeen === 'number' && data.lastSeen > 0 ? new Date(data.lastSeen * 1000) : null;
    return [{ chatId, participant: phoneNumber ?? lid ?? jidNormalizedUser(participant), author: { phoneNumber, lid }, state, lastSeen }];
  });
}
