/*
 * Baileys' `call` events → the port's call updates. Baileys reports each signalling step of a call
 * (`WACallEvent.status`): `offer` (it rings), `ringing`, `preaccept`, `transport` and `relaylatency` (call
 * set-up we do not report), and the ends: `reject` (declined on a device of ours), `accept` (answered on
 * one), `timeout` (missed), `terminate` (hung up). `from` is the caller's JID (often a LID); `callerPn` the
 * phone number behind it when WhatsApp tells it. Calls in offline catch-up (`offline: true`) are reported
 * too: they are what the phone missed while this session was away.
 */
import type { CallUpdate, CallUpdateStatus } from '@whatisup/core';
import type { WACallEvent } from '@whiskeysockets/baileys';
import { toLidJid, toPhoneNumber } from './to-whatsapp-jid.js';

const STATUSES: Partial<Record<WACallEvent['status'], CallUpdateStatus>> = {
  offer: 'offer',
  reject: 'rejected',
  accept: 'accepted',
  timeout: 'timeout',
  terminate: 'ended',
};

export function toCallUpdates(calls: readonly WACallEvent[], now: Date): CallUpdate[] {
  const out: CallUpdate[] = [];
  for (const call of calls) {
    const status = STATUSES[call.status];
    if (status === undefined || !call.id || !call.from) continue;
    const lid = toLidJid(call.from.endsWith('@lid') ? call.from : null);
    const phoneNumber = toPhoneNumber(call.from.endsWith('@lid') ? call.callerPn : call.from) ?? toPhoneNumber(call.callerPn);
    out.push({
      callId: call.id,
      from: call.from,
      author: { phoneNumber, lid },
      groupId: call.groupJid ?? null,
      isVideo: call.isVideo === true,
      isGroup: call.isGroup === true,
      status,
      at: call.date instanceof Date && !Number.isNaN(call.date.getTime()) ? call.date : now,
    });
  }
  return out;
}
